//! Player colours for the cast header: a preset's name in, its [`Theme`]
//! out; and the checks of colours and palettes a scene writes itself.

use crate::asciicast::Theme;

/// `(name, fg, bg, palette)` of each preset.
const PRESETS: &[(&str, &str, &str, &str)] = &[
    (
        "blog",
        "#17a88b",
        "#1e2229",
        "#1e2229:#e06c75:#17a88b:#e5c07b:#61afef:#c678dd:#56b6c2:#abb2bf:\
         #5c6370:#e06c75:#2bd4b0:#e5c07b:#61afef:#c678dd:#56b6c2:#ffffff",
    ),
    (
        "asciinema",
        "#cccccc",
        "#121314",
        "#000000:#dd3c69:#4ebf22:#ddaf3c:#26b0d7:#b954e1:#54e1b9:#d9d9d9:\
         #4d4d4d:#dd3c69:#4ebf22:#ddaf3c:#26b0d7:#b954e1:#54e1b9:#ffffff",
    ),
    (
        "solarized-dark",
        "#839496",
        "#002b36",
        "#073642:#dc322f:#859900:#b58900:#268bd2:#d33682:#2aa198:#eee8d5:\
         #002b36:#cb4b16:#586e75:#657b83:#839496:#6c71c4:#93a1a1:#fdf6e3",
    ),
];

/// The names of the presets, for messages and docs.
pub fn preset_names() -> Vec<&'static str> {
    PRESETS.iter().map(|p| p.0).collect()
}

/// A preset by name.
pub fn preset(name: &str) -> Option<Theme> {
    PRESETS.iter().find(|p| p.0 == name).map(|&(_, fg, bg, palette)| Theme {
        fg: fg.into(),
        bg: bg.into(),
        palette: palette.into(),
    })
}

/// Whether `text` is a `#rrggbb` colour.
pub fn is_color(text: &str) -> bool {
    text.len() == 7 && text.starts_with('#') && text[1..].bytes().all(|b| b.is_ascii_hexdigit())
}

/// Checks a palette of 8 or 16 colours joined by `:`.
pub fn check_palette(palette: &str) -> Result<(), String> {
    let colours: Vec<&str> = palette.split(':').collect();
    if colours.len() != 8 && colours.len() != 16 {
        return Err(format!("a palette has 8 or 16 colours, this one has {}", colours.len()));
    }
    match colours.iter().position(|c| !is_color(c)) {
        Some(i) => Err(format!("palette colour {} (\"{}\") is not #rrggbb", i + 1, colours[i])),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presets_are_valid_and_the_blog_one_matches_the_blog() {
        for name in preset_names() {
            let t = preset(name).unwrap();
            assert!(is_color(&t.fg) && is_color(&t.bg), "{name}");
            check_palette(&t.palette).unwrap_or_else(|e| panic!("{name}: {e}"));
        }
        let blog = preset("blog").unwrap();
        assert_eq!((blog.fg.as_str(), blog.bg.as_str()), ("#17a88b", "#1e2229"));
        assert!(preset("nope").is_none());
    }

    #[test]
    fn palettes_are_checked() {
        assert!(check_palette("#000000").unwrap_err().contains("has 1"));
        assert!(check_palette(&["#000000"; 8].join(":")).is_ok());
        let bad = [
            "#000000", "#00000g", "#000000", "#000000", "#000000", "#000000", "#000000", "#000000",
        ]
        .join(":");
        assert!(check_palette(&bad).unwrap_err().contains("colour 2"));
    }
}
