//! `{NAME}` substitution: a text and the variables of `[vars]` and
//! `--set NAME=VALUE` in, the text with each defined name replaced out.

use std::collections::BTreeMap;

/// Replaces `{NAME}` with the value of each defined variable. Braces around
/// anything else (`awk '{print $1}'`, `${HOME}` of an undefined name) are
/// left alone, so shell text survives untouched.
pub fn substitute(text: &str, vars: &BTreeMap<String, String>) -> String {
    if vars.is_empty() || !text.contains('{') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after
            .find('}')
            .and_then(|close| Some((vars.get(&after[..close])?, close)))
        {
            Some((value, close)) => {
                out.push_str(value);
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Whether `name` may be a variable name.
pub fn valid_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn substitutes_defined_names_only() {
        let vars = BTreeMap::from([
            ("port".to_string(), "5001".to_string()),
            ("a".to_string(), "{port}".to_string()),
        ]);
        assert_eq!(substitute("nc localhost {port}", &vars), "nc localhost 5001");
        assert_eq!(
            substitute("awk '{print $1}' ${HOME} {", &vars),
            "awk '{print $1}' ${HOME} {"
        );
        // Values are not expanded again.
        assert_eq!(substitute("{a}{port}", &vars), "{port}5001");
        assert!(valid_name("port_2") && !valid_name("2x") && !valid_name("a-b") && !valid_name(""));
    }
}
