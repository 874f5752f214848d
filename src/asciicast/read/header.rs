//! The header line: each field held to the specs' rules (with a message
//! naming the field and what it must be), then deserialized into the one
//! [`Header`] through the version's serde form.
//!
//! In: line 1's text (and the whole input, to name an asciicast v1 file).
//! Out: the version and the [`Header`], or what is wrong.

use serde::Deserialize;
use serde_json::{Map, Value};

use super::super::v2::HeaderV2;
use super::super::v3::HeaderV3;
use super::super::{Header, Version};
use super::MAX_SIZE;
use super::describe::{json_error, kind, show, show_str};

/// Reads line 1 once it has passed the rules; `whole` is the entire input,
/// only consulted to explain a failure better.
pub(super) fn parse(text: &str, whole: &[u8]) -> Result<(Version, Header), String> {
    if text.is_empty() {
        return Err("header line is empty; expected a JSON object".to_string());
    }
    if text.starts_with('\u{feff}') {
        return Err("header starts with a UTF-8 byte order mark, which asciicast readers reject".to_string());
    }
    if text.starts_with('#') {
        return Err("the first line must be the JSON header object, not a comment".to_string());
    }

    let value: Value = serde_json::from_str(text).map_err(|error| {
        // A pretty-printed v1 file fails here on its lone "{"; saying what it
        // is beats a bare JSON error.
        if declares_version(whole, 1) {
            "this is an asciicast v1 file (a single JSON document); only v2 and v3 are supported".to_string()
        } else {
            format!("header is not valid JSON: {}", json_error(&error))
        }
    })?;
    let Value::Object(map) = &value else {
        return Err(format!("header must be a JSON object, found {}", kind(&value)));
    };
    let header = Fields { map, prefix: "" };

    let version = match map.get("version") {
        None => return Err("header is missing required field \"version\"".to_string()),
        Some(value) => match value.as_u64() {
            Some(2) => Version::V2,
            Some(3) => Version::V3,
            Some(1) => {
                return Err("asciicast v1 is not supported; only versions 2 and 3 are".to_string());
            }
            _ => {
                return Err(format!(
                    "header field \"version\" must be 2 or 3, found {}",
                    show(value)
                ));
            }
        },
    };

    // v3 keeps the terminal's fields in a `term` object, which must exist
    // before any of them is looked at.
    let term = match version {
        Version::V2 => None,
        Version::V3 => Some(Fields {
            map: header.required_object("term", "an object with \"cols\" and \"rows\"")?,
            prefix: "term.",
        }),
    };
    for &(place, keys, rule) in FIELDS {
        let fields = match (place, version, &term) {
            (In::Term, _, Some(term)) => term,
            (In::Both, _, _) | (In::V2, Version::V2, _) | (In::V3, Version::V3, _) => &header,
            _ => continue,
        };
        for key in keys {
            fields.follow(key, rule)?;
        }
    }

    let read = match version {
        Version::V2 => HeaderV2::deserialize(&value).map(Header::from),
        Version::V3 => HeaderV3::deserialize(&value).map(Header::from),
    };
    read.map(|header| (version, header))
        .map_err(|error| unreadable(version, &error))
}

/// Where a header field lives.
#[derive(Debug, Clone, Copy)]
enum In {
    V2,
    V3,
    Both,
    /// v3's `term` object.
    Term,
}

/// What a header field must hold.
#[derive(Debug, Clone, Copy)]
enum Rule {
    /// Required: a terminal dimension, 1..=65535.
    Size,
    /// Unix seconds; v2 allows a float.
    Timestamp {
        float: bool,
    },
    NonNegative,
    Text,
    /// An object of string values.
    Env,
    /// An array of strings.
    Tags,
    /// `fg`, `bg` and a `palette` of 8 or 16 colours.
    Theme,
}

/// Every header field the specs name, in the order they are checked (the
/// first broken one is the one reported). Other fields may hold anything.
const FIELDS: &[(In, &[&str], Rule)] = &[
    (In::V2, &["width", "height"], Rule::Size),
    (In::Term, &["cols", "rows"], Rule::Size),
    (In::Term, &["type", "version"], Rule::Text),
    (In::Term, &["theme"], Rule::Theme),
    (In::V2, &["timestamp"], Rule::Timestamp { float: true }),
    (In::V3, &["timestamp"], Rule::Timestamp { float: false }),
    (In::V2, &["duration"], Rule::NonNegative),
    (In::Both, &["idle_time_limit"], Rule::NonNegative),
    (In::Both, &["command", "title"], Rule::Text),
    (In::Both, &["env"], Rule::Env),
    (In::V2, &["theme"], Rule::Theme),
    (In::V3, &["tags"], Rule::Tags),
];

/// A header the rules let through that its serde form still refuses: the
/// rules miss a case, so say what serde says.
fn unreadable(version: Version, error: &serde_json::Error) -> String {
    format!("header is not a valid asciicast v{} header: {error}", version.number())
}

fn declares_version(whole: &[u8], version: u64) -> bool {
    serde_json::from_slice::<Value>(whole)
        .ok()
        .and_then(|value| value.get("version").and_then(Value::as_u64))
        == Some(version)
}

/// A header object under check; `prefix` locates nested objects in messages
/// (`term.cols`), so the user can find the field without guessing.
struct Fields<'a> {
    map: &'a Map<String, Value>,
    prefix: &'static str,
}

impl<'a> Fields<'a> {
    /// Checks field `key` against its rule.
    fn follow(&self, key: &str, rule: Rule) -> Result<(), String> {
        match rule {
            Rule::Size => self.size(key),
            Rule::Timestamp { float } => self.timestamp(key, float),
            Rule::NonNegative => self.non_negative_number(key),
            Rule::Text => self.string(key),
            Rule::Env => self.env(key),
            Rule::Tags => self.tags(key),
            Rule::Theme => self.theme(key),
        }
    }

    fn name(&self, key: &str) -> String {
        format!("{}{}", self.prefix, key)
    }

    fn optional(&self, key: &str) -> Option<&'a Value> {
        self.map.get(key).filter(|value| !value.is_null())
    }

    fn missing(&self, key: &str) -> String {
        format!("header is missing required field \"{}\"", self.name(key))
    }

    fn wrong(&self, key: &str, expected: &str, found: &Value) -> String {
        format!(
            "header field \"{}\" must be {expected}, found {}",
            self.name(key),
            show(found)
        )
    }

    fn required_object(&self, key: &str, expected: &str) -> Result<&'a Map<String, Value>, String> {
        match self.map.get(key) {
            None => Err(self.missing(key)),
            Some(Value::Object(map)) => Ok(map),
            Some(other) => Err(self.wrong(key, expected, other)),
        }
    }

    /// A required terminal dimension.
    fn size(&self, key: &str) -> Result<(), String> {
        let value = self.map.get(key).ok_or_else(|| self.missing(key))?;
        let size = value
            .as_u64()
            .filter(|&n| n > 0)
            .ok_or_else(|| self.wrong(key, "a positive integer", value))?;
        if size <= u64::from(MAX_SIZE) {
            Ok(())
        } else {
            Err(self.wrong(key, &format!("at most {MAX_SIZE}"), value))
        }
    }

    fn string(&self, key: &str) -> Result<(), String> {
        match self.optional(key) {
            None | Some(Value::String(_)) => Ok(()),
            Some(other) => Err(self.wrong(key, "a string", other)),
        }
    }

    fn non_negative_number(&self, key: &str) -> Result<(), String> {
        match self.optional(key) {
            None => Ok(()),
            Some(value) if value.as_f64().is_some_and(|n| n >= 0.0) => Ok(()),
            Some(other) => Err(self.wrong(key, "a non-negative number", other)),
        }
    }

    fn timestamp(&self, key: &str, allow_float: bool) -> Result<(), String> {
        let Some(value) = self.optional(key) else {
            return Ok(());
        };
        let valid = if allow_float {
            value.as_f64().is_some_and(|n| n >= 0.0)
        } else {
            value.as_u64().is_some()
        };
        if valid {
            Ok(())
        } else if allow_float {
            Err(self.wrong(key, "a non-negative number (unix seconds)", value))
        } else {
            Err(self.wrong(key, "a non-negative integer (unix seconds)", value))
        }
    }

    fn env(&self, key: &str) -> Result<(), String> {
        let Some(value) = self.optional(key) else {
            return Ok(());
        };
        let Value::Object(vars) = value else {
            return Err(self.wrong(key, "an object of string values", value));
        };
        match vars.iter().find(|(_, value)| !value.is_string()) {
            None => Ok(()),
            Some((var, value)) => Err(format!(
                "header field \"{}\" value for {} must be a string, found {}",
                self.name(key),
                show_str(var),
                show(value)
            )),
        }
    }

    fn tags(&self, key: &str) -> Result<(), String> {
        let Some(value) = self.optional(key) else {
            return Ok(());
        };
        let Value::Array(tags) = value else {
            return Err(self.wrong(key, "an array of strings", value));
        };
        match tags.iter().position(|tag| !tag.is_string()) {
            None => Ok(()),
            Some(index) => Err(format!(
                "header field \"{}\" element {} must be a string, found {}",
                self.name(key),
                index + 1,
                show(&tags[index])
            )),
        }
    }

    fn theme(&self, key: &str) -> Result<(), String> {
        let Some(value) = self.optional(key) else {
            return Ok(());
        };
        let Value::Object(map) = value else {
            return Err(self.wrong(key, "an object with \"fg\", \"bg\" and \"palette\"", value));
        };
        let theme = self.name(key);
        for part in ["fg", "bg"] {
            let name = format!("{theme}.{part}");
            match map.get(part) {
                None => return Err(format!("header is missing required field \"{name}\"")),
                Some(Value::String(colour)) if is_colour(colour) => {}
                Some(other) => {
                    return Err(format!(
                        "header field \"{name}\" must be a \"#rrggbb\" colour, found {}",
                        show(other)
                    ));
                }
            }
        }

        let name = format!("{theme}.palette");
        let palette = match map.get("palette") {
            None => return Err(format!("header is missing required field \"{name}\"")),
            Some(Value::String(palette)) => palette,
            Some(other) => {
                return Err(format!(
                    "header field \"{name}\" must be a string of 8 or 16 \"#rrggbb\" colours separated by \":\", found {}",
                    show(other)
                ));
            }
        };
        let colours: Vec<&str> = palette.split(':').collect();
        if let Some(index) = colours.iter().position(|colour| !is_colour(colour)) {
            return Err(format!(
                "header field \"{name}\" colour {} must be \"#rrggbb\", found {}",
                index + 1,
                show_str(colours[index])
            ));
        }
        if colours.len() != 8 && colours.len() != 16 {
            return Err(format!(
                "header field \"{name}\" must hold 8 or 16 colours, found {}",
                colours.len()
            ));
        }
        Ok(())
    }
}

fn is_colour(text: &str) -> bool {
    text.strip_prefix('#')
        .is_some_and(|hex| hex.len() == 6 && hex.bytes().all(|b| b.is_ascii_hexdigit()))
}
