//! The sending office: from the FM line as written to the name the dump gives it.

/// `AMEMBASSY BUENOS AIRES` -> `Embassy Buenos Aires`, `SECSTATE WASHDC` -> `Secretary of State`,
/// `AMCONSUL BARCELONA` -> `Consulate Barcelona`, `USMISSION USNATO` -> `Mission USNATO`.
pub fn office_name(from: &str) -> String {
    let from = from.split_whitespace().collect::<Vec<_>>().join(" ");
    let up = from.to_ascii_uppercase();
    if up.starts_with("SECSTATE") || up.starts_with("DEPT OF STATE") || up.starts_with("STATE WASH")
    {
        return "Secretary of State".to_string();
    }
    const PREFIXES: [(&str, &str); 8] = [
        ("AMEMBASSY ", "Embassy"),
        ("AMCONSUL ", "Consulate"),
        ("AMCONGEN ", "Consulate"),
        ("USMISSION ", "Mission"),
        ("USMISSION", "Mission"),
        ("USDEL ", "US Delegation"),
        ("AMINTERESTS SECTION ", "US Interests Section"),
        ("USOFFICE ", "US Office"),
    ];
    for (prefix, office) in PREFIXES {
        if let Some(place) = up.strip_prefix(prefix) {
            let place = super::clean::trim(place);
            return format!("{office} {}", place_name(place));
        }
    }
    if let Some(rest) = up.strip_prefix("USEU ") {
        return format!("USEU {}", title_case(super::clean::trim(rest)));
    }
    if up == "USEU" {
        return "USEU Brussels".to_string();
    }
    title_case(&from)
}

/// Acronyms that stay upper case (`USNATO`, `USUN`, `UNVIE`) and others title-cased.
fn place_name(place: &str) -> String {
    place
        .split(' ')
        .map(|w| {
            if w.starts_with("US") && w.len() > 3 || w.len() <= 2 && w != "LA" && w != "EL" {
                w.to_string()
            } else {
                title_word(w)
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn title_case(s: &str) -> String {
    s.split(' ').map(title_word).collect::<Vec<_>>().join(" ")
}

fn title_word(w: &str) -> String {
    let mut out = String::with_capacity(w.len());
    let mut start = true;
    for c in w.chars() {
        if start {
            out.extend(c.to_uppercase());
        } else {
            out.extend(c.to_lowercase());
        }
        start = !c.is_alphanumeric() && c != '\'';
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offices_as_the_dump_names_them() {
        assert_eq!(
            office_name("AMEMBASSY BUENOS AIRES"),
            "Embassy Buenos Aires"
        );
        assert_eq!(office_name("SECSTATE  WASHDC"), "Secretary of State");
        assert_eq!(office_name("AMCONSUL BARCELONA"), "Consulate Barcelona");
        assert_eq!(office_name("USMISSION USNATO"), "Mission USNATO");
        assert_eq!(office_name("AMEMBASSY LA PAZ"), "Embassy La Paz");
        assert_eq!(
            office_name("AMEMBASSY PORT-AU-PRINCE"),
            "Embassy Port-Au-Prince"
        );
        assert_eq!(office_name(""), "");
    }
}
