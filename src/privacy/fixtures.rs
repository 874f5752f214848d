//! The machine the privacy tests record on: a person, `alice`, beside
//! `root` and a generic `runner` account, on host `vm.example.org`.

use super::{Account, Facts, Identity, private_values};
use crate::scene::Privacy;

/// The machine: `alice` records on `vm.example.org`.
pub(super) fn alice() -> Facts {
    let account = |name: &str, uid, home: &str| Account {
        name: name.into(),
        uid,
        home: home.into(),
    };
    Facts {
        env_users: vec!["alice".into()],
        env_home: Some("/home/alice".into()),
        account: Some(account("alice", 1000, "/home/alice")),
        accounts: vec![
            account("root", 0, "/root"),
            account("alice", 1000, "/home/alice"),
            account("runner", 1001, "/home/runner"),
        ],
        host: Some("vm.example.org".into()),
    }
}

/// What `facts` make private, with every `[privacy]` switch on.
pub(super) fn identity_of(facts: &Facts) -> Identity {
    Identity::new(&private_values(facts, &Privacy::default()))
}
