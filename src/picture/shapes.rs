//! Box drawing and block characters drawn as shapes, to the cell's edges.
//!
//! A font's box-drawing glyphs are made for its own line height; drawn in
//! a cell of another height they leave gaps between rows, and a pane's
//! divider would show as dashes. Terminals draw these characters
//! themselves; so do we, as coverage masks of one cell.

/// A line's weight on one side of the cell: none, light, heavy, double.
#[derive(Debug, Clone, Copy, PartialEq)]
enum W {
    N,
    L,
    H,
    D,
}

/// The arms (up, down, left, right) of a box-drawing character.
fn arms(c: char) -> Option<[W; 4]> {
    use W::*;
    Some(match c {
        '─' => [N, N, L, L],
        '━' => [N, N, H, H],
        '│' => [L, L, N, N],
        '┃' => [H, H, N, N],
        '┌' | '╭' => [N, L, N, L],
        '┏' => [N, H, N, H],
        '┐' | '╮' => [N, L, L, N],
        '┓' => [N, H, H, N],
        '└' | '╰' => [L, N, N, L],
        '┗' => [H, N, N, H],
        '┘' | '╯' => [L, N, L, N],
        '┛' => [H, N, H, N],
        '├' => [L, L, N, L],
        '┣' => [H, H, N, H],
        '┤' => [L, L, L, N],
        '┫' => [H, H, H, N],
        '┬' => [N, L, L, L],
        '┳' => [N, H, H, H],
        '┴' => [L, N, L, L],
        '┻' => [H, N, H, H],
        '┼' => [L, L, L, L],
        '╋' => [H, H, H, H],
        '╴' => [N, N, L, N],
        '╵' => [L, N, N, N],
        '╶' => [N, N, N, L],
        '╷' => [N, L, N, N],
        '═' => [N, N, D, D],
        '║' => [D, D, N, N],
        '╔' => [N, D, N, D],
        '╗' => [N, D, D, N],
        '╚' => [D, N, N, D],
        '╝' => [D, N, D, N],
        '╠' => [D, D, N, D],
        '╣' => [D, D, D, N],
        '╦' => [N, D, D, D],
        '╩' => [D, N, D, D],
        '╬' => [D, D, D, D],
        _ => return None,
    })
}

/// The coverage mask (`w` x `h`, row by row) of `c` if it is drawn as a
/// shape.
pub fn shape(c: char, w: usize, h: usize) -> Option<Vec<u8>> {
    let mut mask = vec![0u8; w * h];
    let mut fill = |x0: usize, y0: usize, x1: usize, y1: usize, v: u8| {
        for y in y0.min(h)..y1.min(h) {
            for x in x0.min(w)..x1.min(w) {
                mask[y * w + x] = mask[y * w + x].max(v);
            }
        }
    };
    if let Some([up, down, left, right]) = arms(c) {
        let light = (w / 8).max(1);
        let (cx, cy) = (w / 2, h / 2);
        let thick = |weight: W| if weight == W::H { light * 2 } else { light };
        // The centre lines each arm is drawn along (two for a double line).
        let lines = |weight: W, centre: usize| -> Vec<(usize, usize)> {
            let t = thick(weight);
            match weight {
                W::N => vec![],
                W::D => {
                    let gap = light + 1;
                    vec![
                        (centre.saturating_sub(gap + light / 2), t),
                        (centre + gap - light / 2, t),
                    ]
                }
                _ => vec![(centre.saturating_sub(t / 2), t)],
            }
        };
        // Arms reach the cell's edge and past the centre by half a line,
        // so corners close.
        let reach = light * 2 + 1;
        for (start, t) in lines(up, cx) {
            fill(start, 0, start + t, cy + reach, 255);
        }
        for (start, t) in lines(down, cx) {
            fill(start, cy.saturating_sub(reach), start + t, h, 255);
        }
        for (start, t) in lines(left, cy) {
            fill(0, start, cx + reach, start + t, 255);
        }
        for (start, t) in lines(right, cy) {
            fill(cx.saturating_sub(reach), start, w, start + t, 255);
        }
        return Some(mask);
    }
    let eighths = |n: usize, of: usize| (of * n + 4) / 8;
    match c {
        '█' => fill(0, 0, w, h, 255),
        '▀' => fill(0, 0, w, h / 2, 255),
        '▐' => fill(w / 2, 0, w, h, 255),
        '░' => fill(0, 0, w, h, 64),
        '▒' => fill(0, 0, w, h, 128),
        '▓' => fill(0, 0, w, h, 192),
        // ▁ to ▇: the lower eighths; ▄ is four of them.
        '\u{2581}'..='\u{2587}' => {
            let n = c as usize - 0x2580;
            fill(0, h - eighths(n, h), w, h, 255);
        }
        // ▉ to ▏: the left eighths, from seven down to one; ▌ is four.
        '\u{2589}'..='\u{258f}' => {
            let n = 0x2590 - c as usize;
            fill(0, 0, eighths(n, w), h, 255);
        }
        _ => return None,
    }
    Some(mask)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(mask: &[u8], w: usize, x: usize, y: usize) -> u8 {
        mask[y * w + x]
    }

    #[test]
    fn lines_reach_the_cell_edges_so_rows_join() {
        let (w, h) = (8, 17);
        let v = shape('│', w, h).unwrap();
        assert_eq!(at(&v, w, 4, 0), 255);
        assert_eq!(at(&v, w, 4, h - 1), 255);
        assert_eq!(at(&v, w, 0, 8), 0);
        let cross = shape('┼', w, h).unwrap();
        assert_eq!((at(&cross, w, 0, 8), at(&cross, w, w - 1, 8)), (255, 255));
        let corner = shape('┌', w, h).unwrap();
        assert_eq!((at(&corner, w, 4, 0), at(&corner, w, 4, h - 1)), (0, 255));
        assert_eq!((at(&corner, w, 0, 8), at(&corner, w, w - 1, 8)), (0, 255));
    }

    #[test]
    fn blocks_fill_their_part() {
        let (w, h) = (8, 16);
        let lower = shape('▄', w, h).unwrap();
        assert_eq!((at(&lower, w, 3, 7), at(&lower, w, 3, 8)), (0, 255));
        let left = shape('▌', w, h).unwrap();
        assert_eq!((at(&left, w, 3, 0), at(&left, w, 4, 0)), (255, 0));
        assert_eq!(shape('▒', w, h).unwrap()[5], 128);
        assert!(shape('a', w, h).is_none());
    }
}
