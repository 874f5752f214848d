//! What the machine says about who records, and which of it is private.
//!
//! In: the environment (`$USER`, `$LOGNAME`, `$HOME`), `/etc/passwd`, the
//! kernel's node name, and the scene's `[privacy]` switches. Out: the
//! [`Private`] values to hide, longest first. Accounts that identify
//! nobody (the system's own, `nobody`, the generic accounts of images and
//! CI runners) and `localhost` are left out: replacing them would rewrite
//! ordinary words and hide no one.

use super::private::{HOME_STAND_IN, HOST_STAND_IN, Kind, Private, USER_STAND_IN};
use crate::scene::Privacy;

/// Accounts below this uid are the system's own (`root`, daemons).
const FIRST_PERSON_UID: u32 = 1000;
/// `nobody`, which some systems give a high uid.
const NOBODY_UID: u32 = 65534;
/// Accounts that images and CI runners create for everyone: their names,
/// and their homes, identify nobody, and replacing them would rewrite
/// ordinary words (`node server.js`, `/home/runner/work`).
const GENERIC_ACCOUNTS: &[&str] = &[
    "root", "admin", "app", "builder", "circleci", "debian", "dev", "docker", "ec2-user", "gitpod", "jenkins", "node",
    "nobody", "pi", "runner", "ubuntu", "user", "vagrant", "vscode",
];
/// Host names that identify no machine.
const GENERIC_HOSTS: &[&str] = &["localhost", "localhost.localdomain", "localhost6"];

/// What the machine says about who records: the environment, the account
/// director runs as, and a way to look other names up.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    /// `$USER` and `$LOGNAME`.
    pub env_users: Vec<String>,
    /// `$HOME`.
    pub env_home: Option<String>,
    /// The account director runs as: name, uid, home.
    pub account: Option<Account>,
    /// Every account in `/etc/passwd`.
    pub accounts: Vec<Account>,
    /// The kernel's node name.
    pub host: Option<String>,
}

/// An entry of `/etc/passwd`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    pub name: String,
    pub uid: u32,
    pub home: String,
}

impl Account {
    /// Whether the account is the system's or everyone's, not a person's.
    fn identifies_nobody(&self) -> bool {
        self.uid < FIRST_PERSON_UID || self.uid == NOBODY_UID || GENERIC_ACCOUNTS.contains(&self.name.as_str())
    }
}

impl Facts {
    /// Reads this machine.
    pub fn of_this_machine() -> Self {
        let accounts = read_accounts();
        let uid = rustix::process::getuid().as_raw();
        let account = accounts.iter().find(|a| a.uid == uid).cloned();
        let env_users = ["USER", "LOGNAME"]
            .iter()
            .filter_map(|k| std::env::var(k).ok())
            .collect();
        let host = {
            let name = rustix::system::uname();
            name.nodename().to_str().ok().map(|n| n.trim().to_string())
        };
        Self {
            env_users,
            env_home: std::env::var("HOME").ok(),
            account,
            accounts,
            host,
        }
    }

    /// The account called `name`, if there is one.
    fn named(&self, name: &str) -> Option<&Account> {
        self.accounts.iter().find(|a| a.name == name)
    }
}

/// Every account of `/etc/passwd`; none if it cannot be read.
fn read_accounts() -> Vec<Account> {
    let Ok(passwd) = std::fs::read_to_string("/etc/passwd") else {
        return Vec::new();
    };
    passwd
        .lines()
        .filter_map(|line| {
            let fields: Vec<&str> = line.split(':').collect();
            (fields.len() >= 6).then_some(())?;
            Some(Account {
                name: fields[0].to_string(),
                uid: fields[2].parse().ok()?,
                home: fields[5].to_string(),
            })
        })
        .collect()
}

/// The private values of this machine that `privacy` asks to hide.
pub fn identity(privacy: &Privacy) -> Vec<Private> {
    private_values(&Facts::of_this_machine(), privacy)
}

/// The private values `facts` show: longest first, so that a longer value
/// (a fully qualified host name) wins over one it contains.
pub fn private_values(facts: &Facts, privacy: &Privacy) -> Vec<Private> {
    let mut list: Vec<Private> = Vec::new();
    let stand_ins = [USER_STAND_IN, HOST_STAND_IN, HOME_STAND_IN];
    let mut add = |kind: Kind, value: &str| {
        let value = value.trim();
        // A single letter would garble all output.
        if value.chars().count() >= 2 && !stand_ins.contains(&value) && !list.iter().any(|p| p.value == value) {
            list.push(Private {
                kind,
                value: value.to_string(),
            });
        }
    };
    // A name identifies nobody if its account does; a name that is not an
    // account (USER set by hand) is taken as a person's.
    let nobody = |name: &str| facts.named(name).is_some_and(Account::identifies_nobody) || name == "root";
    if privacy.home {
        let own = facts.account.as_ref();
        let homes = [facts.env_home.as_deref(), own.map(|a| a.home.as_str())];
        for home in homes.into_iter().flatten() {
            let home = home.trim_end_matches('/');
            let whose = facts.accounts.iter().find(|a| a.home.trim_end_matches('/') == home);
            if !home.is_empty() && whose.is_none_or(|a| !a.identifies_nobody()) {
                add(Kind::Home, home);
            }
        }
    }
    if privacy.host
        && let Some(host) = facts.host.as_deref()
        && !GENERIC_HOSTS.contains(&host.to_ascii_lowercase().as_str())
    {
        add(Kind::Host, host);
        // `vm.example.com` is shown as `vm` in prompts.
        if let Some((short, _)) = host.split_once('.') {
            add(Kind::Host, short);
        }
    }
    if privacy.user {
        let names = facts
            .env_users
            .iter()
            .map(String::as_str)
            .chain(facts.account.as_ref().map(|a| a.name.as_str()));
        for name in names {
            if !nobody(name) {
                add(Kind::User, name);
            }
        }
    }
    list.sort_by_key(|p| std::cmp::Reverse(p.value.len()));
    list
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::privacy::fixtures::alice;

    #[test]
    fn a_person_is_private_a_system_or_generic_account_is_not() {
        let values = private_values(&alice(), &Privacy::default());
        let kinds: Vec<(&str, Kind)> = values.iter().map(|p| (p.value.as_str(), p.kind)).collect();
        assert_eq!(
            kinds,
            [
                ("vm.example.org", Kind::Host),
                ("/home/alice", Kind::Home),
                ("alice", Kind::User),
                ("vm", Kind::Host)
            ]
        );
        let root = Facts {
            env_users: vec!["root".into()],
            env_home: Some("/root".into()),
            account: Some(Account {
                name: "root".into(),
                uid: 0,
                home: "/root".into(),
            }),
            accounts: alice().accounts,
            host: Some("localhost".into()),
        };
        assert!(private_values(&root, &Privacy::default()).is_empty());
        let runner = Facts {
            env_users: vec!["runner".into()],
            env_home: Some("/home/runner".into()),
            account: alice().accounts.into_iter().find(|a| a.name == "runner"),
            ..alice()
        };
        let values = private_values(&runner, &Privacy::default());
        assert!(values.iter().all(|p| p.kind == Kind::Host), "{values:?}");
        // Each switch turns off its own kind only.
        let no_host = private_values(
            &alice(),
            &Privacy {
                host: false,
                ..Privacy::default()
            },
        );
        assert!(no_host.iter().all(|p| p.kind != Kind::Host) && no_host.len() == 2);
    }

    #[test]
    fn this_machines_identity_reads() {
        let facts = Facts::of_this_machine();
        assert!(facts.accounts.iter().any(|a| a.uid == 0), "/etc/passwd has root");
        assert!(facts.host.as_deref().is_some_and(|h| !h.is_empty()));
    }
}
