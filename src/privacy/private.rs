//! What a private value is: its [`Kind`] (user, host, home), the text that
//! stands in for it in a cast, and the words messages use for it.
//!
//! In: nothing; every other part of [`crate::privacy`] names kinds
//! through this one definition. Out: [`Kind`], [`Private`] and the
//! stand-in constants.

/// What stands in for the recording machine's user name.
pub const USER_STAND_IN: &str = "director";
/// What stands in for the recording machine's host name.
pub const HOST_STAND_IN: &str = "demo";
/// What stands in for the recording machine's home directory.
pub const HOME_STAND_IN: &str = "/home/director";

/// The kinds of private value, as messages name them (never the value).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    User,
    Host,
    Home,
}

impl Kind {
    /// The kind in words, for messages: `user name`, `host name`, `home
    /// directory`.
    pub fn describe(self) -> &'static str {
        match self {
            Kind::User => "user name",
            Kind::Host => "host name",
            Kind::Home => "home directory",
        }
    }

    /// What stands in for a value of this kind.
    pub fn stand_in(self) -> &'static str {
        match self {
            Kind::User => USER_STAND_IN,
            Kind::Host => HOST_STAND_IN,
            Kind::Home => HOME_STAND_IN,
        }
    }

    /// The `[privacy]` key that turns this kind off.
    pub fn key(self) -> &'static str {
        match self {
            Kind::User => "user",
            Kind::Host => "host",
            Kind::Home => "home",
        }
    }
}

/// One private value of the recording machine, and which kind it is (the
/// kind says what stands in for it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Private {
    pub kind: Kind,
    pub value: String,
}
