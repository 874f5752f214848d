//! The SVG writer on small screens: what each document holds.
use super::*;
use crate::picture::colours::Colours;

fn look() -> Look {
    Look {
        colours: Colours::default(),
        title: Some("a <title>".into()),
        ..Look::default()
    }
}

fn grid(rows: u16, cols: u16, output: &str) -> Grid {
    let mut p = vt100::Parser::new(rows.try_into().unwrap(), cols.try_into().unwrap(), 0);
    p.process(b"\x1b[?25l");
    p.process(output.as_bytes());
    Grid::of_screen(p.screen())
}

#[test]
fn a_still_holds_the_screen_text_with_styles_and_colours() {
    let g = grid(3, 20, "\x1b[1;32mok\x1b[0m <&> 世界!\r\n\x1b[41;38;5;196mred\x1b[0m");
    let svg = still(g, &look());
    assert!(svg.starts_with("<svg"));
    assert!(svg.contains("<title>a &lt;title&gt;</title>"));
    // Two rows drawn, the blank third not at all.
    assert!(
        svg.contains(r##"<use href="#a" y="0"/><use href="#b" y="17"/></g>"##),
        "{svg}"
    );
    // Bold green (palette 2) and 256-colour 196 as classes; red background.
    let class = |rgb: &str| {
        let at = svg
            .find(&format!("{{fill:{rgb}}}"))
            .unwrap_or_else(|| panic!("{rgb}: {svg}"));
        svg[..at].rsplit('.').next().unwrap().to_string()
    };
    assert!(svg.contains(&format!(r#"class="{} b">ok"#, class("#4ebf22"))), "{svg}");
    assert!(svg.contains(&format!(r#"class="{}">red"#, class("#ff0000"))), "{svg}");
    assert!(
        svg.contains(&format!(r#"height="17" class="{}""#, class("#dd3c69"))),
        "{svg}"
    );
    // A wide character ends a run: the next starts at its own cell.
    assert!(
        svg.contains(r#"<tspan x="75.6">界</tspan><tspan x="92.4">!</tspan>"#),
        "{svg}"
    );
    assert!(!svg.contains("@keyframes"));
}

#[test]
fn a_film_draws_each_row_once_builds_on_frames_and_moves_one_strip() {
    let page = "a\r\nb\r\nc\r\nd\r\ne\r\nf";
    let screens = [
        page.to_string(),
        format!("{page}\x1b[2;2HXY"),
        "\x1b[2J\x1b[Hb".into(),
        page.into(),
    ];
    let film: Vec<Frame> = screens
        .iter()
        .enumerate()
        .map(|(i, f)| Frame {
            at: Duration::from_millis(500 * i as u64),
            grid: grid(8, 10, f),
        })
        .collect();
    let size = Size { cols: 10, rows: 8 };
    let look = look();
    let mut w = Writer::new(&look, size);
    for frame in film {
        w.frame(frame);
    }
    let svg = w.finish(size, Some((Duration::from_secs(4), true)));
    // Six rows, each defined once; the first frame uses them all.
    assert!(
        svg.contains(r##"<g id="g"><use href="#a" y="0"/><use href="#b" y="17"/><use href="#c" y="34"/>"##),
        "{svg}"
    );
    // The second is the first with the changed cells of row 2 cleared
    // and drawn, up to a gap of two blank cells; the third, a new
    // screen, is drawn whole.
    assert!(svg.contains(r##"<g id="i"><use href="#g"/><rect x="0" y="17" width="33.6" height="17" class="z"/><use href="#h" y="17"/></g>"##), "{svg}");
    assert!(
        svg.contains(r##"<g id="h"><text y="13.3"><tspan x="0">bXY</tspan></text></g>"##),
        "{svg}"
    );
    assert!(svg.contains(r##"<g id="j"><use href="#b" y="0"/></g>"##), "{svg}");
    // The fourth equals the first: the strip uses the first again.
    assert!(
        svg.contains(r##"<use href="#g"/><use href="#i" x="84"/><use href="#j" x="168"/><use href="#g" x="252"/>"##),
        "{svg}"
    );
    assert_eq!(svg.matches("@keyframes").count(), 1);
    assert!(
        svg.contains("0%{transform:translateX(0)}12.5%{transform:translateX(-84px)}"),
        "{svg}"
    );
    assert!(svg.contains("animation:m 4s step-end infinite"), "{svg}");
    assert!(!svg.contains("<script"));
}

#[test]
fn characters_xml_forbids_become_replacement_characters() {
    let g = grid(2, 12, "a\u{FFFE}b\u{FFFF}c\u{10FFFF}d");
    let hostile = Look {
        title: Some("t\u{1}\u{1b}[1m\u{FFFF}\tend".into()),
        window: Some("\"/><x y=\"".into()),
        ..look()
    };
    let svg = still(g, &hostile);
    let doc = roxmltree::Document::parse(&svg).unwrap_or_else(|e| panic!("{e}:\n{svg}"));
    let title: String = doc
        .descendants()
        .find(|n| n.has_tag_name("title"))
        .unwrap()
        .text()
        .unwrap()
        .into();
    assert_eq!(title, "t\u{FFFD}\u{FFFD}[1m\u{FFFD} end");
    let text: String = doc
        .descendants()
        .filter(|n| n.has_tag_name("tspan"))
        .filter_map(|n| n.text())
        .collect();
    assert_eq!(text, "a\u{FFFD}b\u{FFFD}c\u{10FFFF}d");
    assert!(doc.descendants().all(|n| !n.has_tag_name("x")), "{svg}");
}
