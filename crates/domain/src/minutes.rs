//! The life of an acta: a draft written from the session's record, approved by the vote of a
//! later session, signed by those present, published. An approved acta is frozen; a correction
//! opens a new version, which must be approved again.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::ids::{AgendaItemId, MembershipId, SessionId, UserId};
use crate::ErrorCode;
use crate::ValidationError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MinutesStatus {
    /// Written live from the record; the record may still change.
    Draft,
    /// Frozen by the vote of a later session.
    Approved,
    /// Approved and signed by at least one person present.
    Signed,
    /// Public, with its annexes.
    Published,
}

/// What someone wants to do to an acta.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MinutesAction {
    /// Change the session's record (agenda, attendance, times, votes, motions, annexes).
    Edit,
    Approve,
    Sign,
    Publish,
    /// Open a new version of an approved acta.
    Correct,
}

impl MinutesStatus {
    pub const ALL: [MinutesStatus; 4] = [
        MinutesStatus::Draft,
        MinutesStatus::Approved,
        MinutesStatus::Signed,
        MinutesStatus::Published,
    ];

    pub fn key(self) -> &'static str {
        match self {
            MinutesStatus::Draft => "draft",
            MinutesStatus::Approved => "approved",
            MinutesStatus::Signed => "signed",
            MinutesStatus::Published => "published",
        }
    }

    pub fn parse(raw: &str) -> Result<MinutesStatus, ValidationError> {
        MinutesStatus::ALL
            .into_iter()
            .find(|s| s.key() == raw)
            .ok_or(ValidationError::new(
                "status",
                ErrorCode::InvalidMinutesStatus,
            ))
    }

    /// The status after `action`, or why the action is refused. `Correct` answers with the
    /// status of the new version.
    pub fn after(self, action: MinutesAction) -> Result<MinutesStatus, ValidationError> {
        use MinutesAction as A;
        use MinutesStatus as S;
        let refuse = |code| Err(ValidationError::new("minutes", code));
        match (action, self) {
            (A::Edit, S::Draft) => Ok(S::Draft),
            (A::Edit, _) => refuse(ErrorCode::MinutesApproved),
            (A::Approve, S::Draft) => Ok(S::Approved),
            (A::Approve, _) => refuse(ErrorCode::MinutesAlreadyApproved),
            (A::Sign, S::Approved | S::Signed) => Ok(S::Signed),
            (A::Sign, S::Draft) => refuse(ErrorCode::MinutesNotApproved),
            (A::Sign, S::Published) => refuse(ErrorCode::MinutesAlreadyPublished),
            (A::Publish, S::Signed) => Ok(S::Published),
            (A::Publish, S::Draft) => refuse(ErrorCode::MinutesNotApproved),
            (A::Publish, S::Approved) => refuse(ErrorCode::MinutesUnsigned),
            (A::Publish, S::Published) => refuse(ErrorCode::MinutesAlreadyPublished),
            (A::Correct, S::Draft) => refuse(ErrorCode::MinutesNotApproved),
            (A::Correct, _) => Ok(S::Draft),
        }
    }

    /// Whether the public may read this version.
    pub fn is_public(self) -> bool {
        self == MinutesStatus::Published
    }
}

/// One version of a session's acta. Version 1 is the first; a correction adds the next.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct MinutesVersion {
    pub session: SessionId,
    pub version: i64,
    pub status: MinutesStatus,
    /// SHA-256 (hex) of the approved text in Markdown; empty while a draft.
    pub text_sha256: String,
    /// The agenda item (of a later session) whose vote approved it.
    pub approved_by: Option<AgendaItemId>,
    pub published_at: Option<DateTime<Utc>>,
}

/// A signature on an approved acta.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct MinutesSignature {
    pub membership: MembershipId,
    pub user: UserId,
    pub signed_at: DateTime<Utc>,
    /// SHA-256 of the text the person signed; equals the version's while nothing was altered.
    pub text_sha256: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use MinutesAction as A;
    use MinutesStatus as S;

    fn code(result: Result<MinutesStatus, ValidationError>) -> Result<MinutesStatus, &'static str> {
        result.map_err(|e| e.code().as_str())
    }

    #[test]
    fn the_lifecycle_runs_draft_approved_signed_published() {
        assert_eq!(code(S::Draft.after(A::Edit)), Ok(S::Draft));
        assert_eq!(code(S::Draft.after(A::Approve)), Ok(S::Approved));
        assert_eq!(code(S::Approved.after(A::Sign)), Ok(S::Signed));
        assert_eq!(code(S::Signed.after(A::Sign)), Ok(S::Signed));
        assert_eq!(code(S::Signed.after(A::Publish)), Ok(S::Published));
        assert_eq!(code(S::Published.after(A::Correct)), Ok(S::Draft));
        assert_eq!(code(S::Approved.after(A::Correct)), Ok(S::Draft));
    }

    #[test]
    fn an_approved_acta_is_frozen_and_steps_cannot_be_skipped() {
        for frozen in [S::Approved, S::Signed, S::Published] {
            assert_eq!(code(frozen.after(A::Edit)), Err("minutes_approved"));
            assert_eq!(
                code(frozen.after(A::Approve)),
                Err("minutes_already_approved")
            );
        }
        assert_eq!(code(S::Draft.after(A::Sign)), Err("minutes_not_approved"));
        assert_eq!(
            code(S::Draft.after(A::Publish)),
            Err("minutes_not_approved")
        );
        assert_eq!(code(S::Approved.after(A::Publish)), Err("minutes_unsigned"));
        assert_eq!(
            code(S::Published.after(A::Sign)),
            Err("minutes_already_published")
        );
        assert_eq!(
            code(S::Draft.after(A::Correct)),
            Err("minutes_not_approved")
        );
        assert!(S::Published.is_public() && !S::Signed.is_public());
    }

    #[test]
    fn keys_round_trip() {
        for status in S::ALL {
            assert_eq!(S::parse(status.key()), Ok(status));
        }
        assert!(S::parse("final").is_err());
    }
}
