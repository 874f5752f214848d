//! Reads what a `director render` SVG shows, as a browser would place it:
//! frames built on frames resolved, cleared rectangles blanked, each run
//! of text at the column its x gives. An XML parser reads the document, so
//! every SVG a test looks at must also be well-formed XML.

use unicode_width::UnicodeWidthChar;

/// The rows (trailing blanks trimmed) that frame `frame` of `svg` shows
/// (0 for a still); panics if `svg` is not well-formed XML.
pub fn rows(svg: &str, frame: usize) -> Vec<String> {
    let doc = roxmltree::Document::parse(svg).unwrap_or_else(|e| panic!("not well-formed XML: {e}\n{svg}"));
    let style: String = doc
        .descendants()
        .find(|n| n.has_tag_name("style"))
        .and_then(|n| n.text())
        .unwrap_or_default()
        .into();
    let size: f64 = regex::Regex::new(r"font-size:([0-9.]+)px")
        .unwrap()
        .captures(&style)
        .expect("a font size")[1]
        .parse()
        .unwrap();
    let cell = (size * 0.6, (size * 1.2).round());
    // The window onto the strip: the inner <svg>, its height the rows'.
    let window = doc
        .descendants()
        .find(|n| n.has_tag_name("svg") && n.parent().is_some_and(|p| p.has_tag_name("svg")))
        .expect("the screen's window");
    let height: f64 = window.attribute("height").unwrap().parse().unwrap();
    let rows = (height / cell.1).round() as usize;
    let strip = window.first_element_child().expect("the strip");
    let use_ = strip
        .children()
        .filter(|n| n.is_element())
        .nth(frame)
        .expect("the frame");
    let mut cells = vec![vec![String::from(" "); 1000]; rows];
    place(&doc, use_, &mut cells, cell);
    cells.iter().map(|r| r.concat().trim_end().to_string()).collect()
}

fn attr(n: roxmltree::Node, name: &str) -> f64 {
    n.attribute(name).map_or(0.0, |v| v.parse().unwrap())
}

/// Places what the `<use>` `node` shows into `cells`.
fn place<'a, 'i>(
    doc: &'a roxmltree::Document<'i>,
    node: roxmltree::Node<'a, 'i>,
    cells: &mut [Vec<String>],
    (cw, ch): (f64, f64),
) {
    let id = &node.attribute("href").expect("a use's href")[1..];
    let target = doc
        .descendants()
        .find(|n| n.attribute("id") == Some(id))
        .expect("the used element");
    if node.attribute("y").is_none() {
        // A frame: its uses and clears, in order.
        for child in target.children().filter(|c| c.is_element()) {
            if child.has_tag_name("use") {
                place(doc, child, cells, (cw, ch));
            } else if child.has_tag_name("rect") {
                let at = |v: f64, unit: f64| (v / unit).round() as usize;
                let (c0, r0) = (at(attr(child, "x"), cw), at(attr(child, "y"), ch));
                let c1 = at(attr(child, "x") + attr(child, "width"), cw);
                let r1 = at(attr(child, "y") + attr(child, "height"), ch);
                for row in &mut cells[r0..r1] {
                    for cell in &mut row[c0..c1] {
                        *cell = " ".into();
                    }
                }
            }
        }
        return;
    }
    let row = (attr(node, "y") / ch).round() as usize;
    for tspan in target.descendants().filter(|t| t.has_tag_name("tspan")) {
        let mut col = (attr(tspan, "x") / cw).round() as usize;
        for c in tspan.text().unwrap_or("").chars() {
            match c.width() {
                // A combining mark joins the character before it.
                Some(0) if col > 0 => cells[row][col - 1].push(c),
                Some(2) => {
                    cells[row][col] = c.to_string();
                    cells[row][col + 1] = String::new();
                    col += 2;
                }
                _ => {
                    cells[row][col] = c.to_string();
                    col += 1;
                }
            }
        }
    }
}

/// How many frames `svg`'s strip holds.
pub fn frames(svg: &str) -> usize {
    svg.matches("<use href=").count()
        - svg.split("<defs>").nth(1).map_or(0, |d| {
            d.split("</defs>").next().unwrap_or("").matches("<use href=").count()
        })
}
