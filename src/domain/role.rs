use serde::{Deserialize, Serialize};

/// What a user may do in their tenant. Each role includes the ones below it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Participant,
    Marketer,
    Admin,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Participant, Role::Marketer, Role::Admin];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Participant => "participant",
            Self::Marketer => "marketer",
            Self::Admin => "admin",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// Whether this role grants what `required` grants.
    pub fn includes(self, required: Role) -> bool {
        self >= required
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_are_ordered_by_power() {
        assert!(Role::Admin.includes(Role::Marketer));
        assert!(Role::Marketer.includes(Role::Participant));
        assert!(!Role::Participant.includes(Role::Marketer));
        assert_eq!(Role::parse("admin"), Some(Role::Admin));
        assert_eq!(Role::parse("root"), None);
    }
}
