//! Every problem of a `config.toml`, each with its place, for `config check`.
//!
//! Loading the settings ([`Config::load_from`]) stops at the first problem, as serde does.
//! Here the file is parsed once with recovery (so syntax errors and keys written twice do not
//! hide the rest), then each setting is read on its own through [`Config`]'s own
//! deserialiser: whatever `Config` accepts is accepted, with the same messages, and a
//! setting added to `Config` is checked here without a change.

use std::path::Path;

use serde::Deserialize;
use serde::de::{IntoDeserializer, Visitor};
use toml::Spanned;
use toml::de::DeTable;

use crate::config::Config;
use crate::keymap::check::{Pos, Problem};

/// The problems of `text`, the content of `path`, in file order.
pub fn check(path: &Path, text: &str) -> Vec<Problem> {
    let (root, syntax_errors) = DeTable::parse_recoverable(text);
    let at = |offset: usize| Pos::of(text, offset);
    let mut problems: Vec<(usize, Problem)> = syntax_errors
        .iter()
        .map(|e| {
            let offset = e.span().map_or(0, |s| s.start);
            let message = match (e.message(), e.span().and_then(|s| text.get(s))) {
                ("duplicate key", Some(key)) => format!(
                    "{} is written twice: TOML allows a key only once",
                    key.trim_matches(['"', '\''])
                ),
                (message, _) => format!("TOML syntax: {message}"),
            };
            (offset, Problem::error(path, at(offset), message))
        })
        .collect();
    let keys = config_keys();
    let root_span = root.span();
    for (key, value) in root.get_ref().iter() {
        let name: &str = key.get_ref();
        let key_offset = key.span().start;
        if !keys.contains(&name) {
            let problem = Problem::error(path, at(key_offset), unknown_key(name, keys));
            problems.push((key_offset, problem));
            continue;
        }
        let mut alone = DeTable::new();
        alone.insert(key.clone(), value.clone());
        let alone = Spanned::new(root_span.clone(), alone);
        if let Err(e) = Config::deserialize(alone.into_deserializer()) {
            let offset = e.span().map_or(value.span().start, |s| s.start);
            let message = format!("`{name}`: {}", e.message().trim_end());
            problems.push((offset, Problem::error(path, at(offset), message)));
        }
    }
    problems.sort_by_key(|(offset, _)| *offset);
    problems.into_iter().map(|(_, p)| p).collect()
}

fn unknown_key(name: &str, keys: &[&str]) -> String {
    let nearest = keys
        .iter()
        .map(|k| (strsim::damerau_levenshtein(&name.to_lowercase(), k), *k))
        .filter(|(d, k)| *d <= 2.max(k.len() / 3))
        .min();
    match nearest {
        Some((_, k)) => format!("unknown setting `{name}` (did you mean `{k}`?)"),
        None => format!(
            "unknown setting `{name}` (the settings are {})",
            keys.iter()
                .map(|k| format!("`{k}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// The keys `config.toml` may hold: [`Config`]'s fields, as its derived `Deserialize` names
/// them to serde (so there is no second list to keep in step).
pub fn config_keys() -> &'static [&'static str] {
    let mut fields: &'static [&'static str] = &[];
    let _ = Config::deserialize(FieldNames(&mut fields));
    fields
}

/// A deserialiser that only notes the field names a struct asks for, then gives up.
struct FieldNames<'a>(&'a mut &'static [&'static str]);

impl<'de> serde::Deserializer<'de> for FieldNames<'_> {
    type Error = serde::de::value::Error;

    fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Self::Error> {
        Err(serde::de::Error::custom("field names only"))
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        _visitor: V,
    ) -> Result<V::Value, Self::Error> {
        *self.0 = fields;
        Err(serde::de::Error::custom("field names only"))
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map enum identifier
        ignored_any
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(text: &str) -> Vec<String> {
        check(Path::new("config.toml"), text)
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn the_keys_are_the_fields_of_config() {
        let keys = config_keys();
        for key in ["analyst", "after_disposition", "keymap", "store"] {
            assert!(keys.contains(&key), "{key} in {keys:?}");
        }
    }

    /// `config show` lists what `config.toml` can set: a setting added to the file's keys and
    /// not to [`Settings::entries`] fails here.
    #[test]
    fn config_show_lists_every_setting_of_the_file() {
        use crate::config::{Env, Flags, Settings};
        let env = Env {
            login: Some("login".into()),
            default_store: "/data/triage.sqlite".into(),
            ..Env::default()
        };
        let settings = Settings::resolve(&Flags::default(), &env, &Config::default())
            .unwrap_or_else(|e| panic!("{e}"));
        let shown: Vec<&str> = settings
            .entries()
            .iter()
            .map(|(name, _, _)| *name)
            .collect();
        for key in config_keys() {
            assert!(shown.contains(key), "{key} is not in {shown:?}");
        }
    }

    #[test]
    fn a_clean_file_has_no_problem() {
        let text = "analyst = \"Jane\"\nafter_disposition = \"stay\"\nkeymap = \"vim\"\nstore = \"~/t.sqlite\"\n";
        assert_eq!(problems(text), Vec::<String>::new());
        assert_eq!(problems(""), Vec::<String>::new());
    }

    #[test]
    fn every_problem_is_reported_with_its_place() {
        let text = "analist = \"Jane\"\nafter_disposition = \"later\"\nkeymap = 5\ncolour = true\nstore = \"\"\n[table]\nq = \"quit\"\n";
        let all: Vec<String> = config_keys().iter().map(|k| format!("`{k}`")).collect();
        let all = all.join(", ");
        assert_eq!(
            problems(text),
            [
                "config.toml:1:1: unknown setting `analist` (did you mean `analyst`?)".to_string(),
                "config.toml:2:21: `after_disposition`: unknown cursor move \"later\": use next, next-untriaged or stay".to_string(),
                "config.toml:3:10: `keymap`: invalid type: integer `5`, expected a string".to_string(),
                format!("config.toml:4:1: unknown setting `colour` (the settings are {all})"),
                "config.toml:5:9: `store`: the store path is empty".to_string(),
                format!("config.toml:6:2: unknown setting `table` (the settings are {all})"),
            ]
        );
    }

    #[test]
    fn syntax_errors_do_not_hide_the_other_problems() {
        let text = "analyst = \"Jane\"\nanalyst = \"Bob\"\nkeymapp = \"vim\"\nstore = \n";
        let found = problems(text);
        assert!(
            found
                .iter()
                .any(|p| p.starts_with("config.toml:2:1: analyst is written twice")),
            "{found:?}"
        );
        assert!(
            found.iter().any(|p| p
                .contains("config.toml:3:1: unknown setting `keymapp` (did you mean `keymap`?)")),
            "{found:?}"
        );
        assert!(
            found.iter().any(|p| p.contains("config.toml:4:")),
            "{found:?}"
        );
    }
}
