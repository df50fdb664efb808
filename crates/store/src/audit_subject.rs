//! What an audit entry is about: a record named by its typed id, a batch of records, the
//! municipality, or the account a sign-in was attempted on. Written in the log as
//! `kind:id` (`session:12`), the form every reader of the log (and its export) knows.

use std::fmt;

use abierto_domain::ids::{
    AgendaItemId, AgendaProposalId, AgreementId, AmendmentId, BodyId, CallId, CommitmentId,
    DatasetId, EventId, EvidenceId, GoalId, InquiryId, MembershipId, NoticeId, OutreachId,
    PersonId, PlanId, PublisherId, ResourceId, SessionId, SubmissionId, TrainingId, UnitId, UserId,
    VersionId, WorkId,
};

macro_rules! audit_subjects {
    ($($variant:ident($id:ty) => $kind:literal,)+) => {
        /// The subject of an audit entry.
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub enum AuditSubject {
            $($variant($id),)+
            /// Every row of a batch written at once (`plans`, `agreements`…).
            Batch(&'static str),
            /// The municipality's own settings.
            Municipality,
            /// The account a sign-in named, as typed (it may not exist).
            Account(String),
            /// Nothing in particular (the end of an anonymous session).
            Nothing,
        }

        impl fmt::Display for AuditSubject {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                match self {
                    $(AuditSubject::$variant(id) => write!(f, concat!($kind, ":{}"), id),)+
                    AuditSubject::Batch(key) => f.write_str(key),
                    AuditSubject::Municipality => f.write_str("municipality"),
                    AuditSubject::Account(name) => f.write_str(name),
                    AuditSubject::Nothing => Ok(()),
                }
            }
        }
    };
}

audit_subjects! {
    User(UserId) => "user",
    Unit(UnitId) => "unit",
    Body(BodyId) => "body",
    Person(PersonId) => "person",
    Membership(MembershipId) => "membership",
    Amendment(AmendmentId) => "amendment",
    Session(SessionId) => "session",
    Notice(NoticeId) => "notice",
    AgendaItem(AgendaItemId) => "agenda_item",
    Call(CallId) => "call",
    Submission(SubmissionId) => "submission",
    AgendaProposal(AgendaProposalId) => "agenda_proposal",
    Plan(PlanId) => "plan",
    Commitment(CommitmentId) => "commitment",
    Goal(GoalId) => "goal",
    Evidence(EvidenceId) => "evidence",
    Event(EventId) => "event",
    Agreement(AgreementId) => "agreement",
    Work(WorkId) => "work",
    Inquiry(InquiryId) => "inquiry",
    Outreach(OutreachId) => "outreach",
    Training(TrainingId) => "training",
    Publisher(PublisherId) => "publisher",
    Dataset(DatasetId) => "dataset",
    Resource(ResourceId) => "resource",
    Version(VersionId) => "version",
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_subject_is_written_as_kind_and_id() {
        assert_eq!(
            AuditSubject::Session(SessionId::new(12)).to_string(),
            "session:12"
        );
        assert_eq!(
            AuditSubject::AgendaItem(AgendaItemId::new(3)).to_string(),
            "agenda_item:3"
        );
        assert_eq!(AuditSubject::Batch("plans").to_string(), "plans");
        assert_eq!(AuditSubject::Municipality.to_string(), "municipality");
        assert_eq!(AuditSubject::Nothing.to_string(), "");
    }
}
