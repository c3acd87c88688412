//! Plain types and rules, no I/O: what a contact, deal, follow-up and note are.

pub mod book;
pub mod company;
pub mod contact;
pub mod deal;
pub mod erasure;
pub mod fields;
pub mod follow_up;
pub mod inline;
pub mod money;
pub mod note;
pub mod remind;
pub mod report;
pub mod search;
pub mod sequence;
pub mod team;
pub mod workdays;

/// An enum spelled the same on the command line, in JSON and in the database. `$noun` is what
/// people call it, with its article, for errors: `"x" is not a deal status; use one of: …`.
macro_rules! word_enum {
    ($(#[$m:meta])* $name:ident ($noun:literal) { $($variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        pub enum $name { $(#[serde(rename = $text)] $variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
            pub fn words() -> String {
                [$($text),+].join(", ")
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for $name {
            type Err = crate::error::Error;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                let k = s.trim().to_ascii_lowercase().replace('_', "-");
                match k.as_str() {
                    $($text => Ok($name::$variant),)+
                    _ => Err(crate::error::Error::input(format!(
                        "{s:?} is not {}; use one of: {}",
                        $noun, $name::words()
                    ))),
                }
            }
        }
    };
}
pub(crate) use word_enum;
