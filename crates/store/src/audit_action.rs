//! What a write does, as the audit log names it and as the store announces it once the write
//! is committed: one variant per kind of write, so a misspelt action cannot be logged.

macro_rules! audit_actions {
    ($($variant:ident => $key:literal,)*) => {
        /// A kind of write, as the audit log records it.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum AuditAction {
            $($variant,)*
        }

        impl AuditAction {
            /// Every action, for tests and for readers of the log.
            pub const ALL: &[AuditAction] = &[$(AuditAction::$variant,)*];

            /// The key the audit log stores, e.g. `plan.save`.
            pub fn key(self) -> &'static str {
                match self {
                    $(AuditAction::$variant => $key,)*
                }
            }
        }
    };
}

audit_actions! {
    AgendaProposalTake => "agenda_proposal.take",
    AnnexAdd => "annex.add",
    BodyCreate => "body.create",
    BylawsAdopt => "bylaws.adopt",
    BylawsPropose => "bylaws.propose",
    CallClose => "call.close",
    CallCreate => "call.create",
    CallEdit => "call.edit",
    CallPublish => "call.publish",
    CallResolve => "call.resolve",
    CommitmentCreate => "commitment.create",
    CommitmentEdit => "commitment.edit",
    CommitmentNote => "commitment.note",
    CommitmentOrigin => "commitment.origin",
    CommitmentSave => "commitment.save",
    DatastoreLoad => "datastore.load",
    DatasetCreate => "dataset.create",
    DatasetUpdate => "dataset.update",
    EvidenceAdd => "evidence.add",
    GoalCreate => "goal.create",
    GoalEdit => "goal.edit",
    GoalReading => "goal.reading",
    GoalSave => "goal.save",
    Login => "login",
    LoginFailed => "login.failed",
    LoginThrottled => "login.throttled",
    Logout => "logout",
    ImportAgreements => "import.agreements",
    ImportCommitments => "import.commitments",
    ImportGoals => "import.goals",
    ImportPlans => "import.plans",
    ImportWorkStages => "import.work_stages",
    MbhAgreement => "mbh.agreement",
    MbhAgreements => "mbh.agreements",
    MbhEvent => "mbh.event",
    MembershipCreate => "membership.create",
    MinutesCorrect => "minutes.correct",
    MinutesPublish => "minutes.publish",
    MinutesSign => "minutes.sign",
    MinutesSignatureSheet => "minutes.signature_sheet",
    MunicipalitySave => "municipality.save",
    NoticeFailed => "notice.failed",
    NoticeSent => "notice.sent",
    OutreachAdd => "outreach.add",
    OwnRecordsDesignate => "own_records.designate",
    PersonCreate => "person.create",
    PlInquiry => "pl.inquiry",
    PlanCreate => "plan.create",
    PlanEdit => "plan.edit",
    PlanPresented => "plan.presented",
    PlanSave => "plan.save",
    PlanWeights => "plan.weights",
    PpStage => "pp.stage",
    PpWork => "pp.work",
    ProponentErase => "proponent.erase",
    ProponentRead => "proponent.read",
    PublisherCreate => "publisher.create",
    ReportDraft => "report.draft",
    ReportEvidence => "report.evidence",
    ReportEvidenceRemoved => "report.evidence_removed",
    ReportPublish => "report.publish",
    ResourceCreate => "resource.create",
    ScheduleSet => "schedule.set",
    SessionAgenda => "session.agenda",
    SessionAttendance => "session.attendance",
    SessionConvocation => "session.convocation",
    SessionCreate => "session.create",
    SessionMotion => "session.motion",
    SessionTimes => "session.times",
    SessionVote => "session.vote",
    SubmissionEvaluate => "submission.evaluate",
    SubmissionNote => "submission.note",
    SubmissionReceive => "submission.receive",
    TrainingAdd => "training.add",
    UnitCreate => "unit.create",
    UserCreate => "user.create",
    VersionApprove => "version.approve",
    VersionCheck => "version.check",
    VersionPublish => "version.publish",
    VersionSchema => "version.schema",
    VersionUpload => "version.upload",
    YouthSeat => "youth.seat",
}

impl AuditAction {
    /// Whether the write changes the secretariat's, the plan's or the programs' records —
    /// what the platform publishes about itself. Signing in and out, reading a proponent's
    /// data and the open-data portal's own publishing do not.
    pub fn changes_records(self) -> bool {
        !matches!(
            self,
            AuditAction::DatasetCreate
                | AuditAction::DatasetUpdate
                | AuditAction::DatastoreLoad
                | AuditAction::Login
                | AuditAction::LoginFailed
                | AuditAction::LoginThrottled
                | AuditAction::Logout
                | AuditAction::NoticeFailed
                | AuditAction::NoticeSent
                | AuditAction::ProponentRead
                | AuditAction::PublisherCreate
                | AuditAction::ResourceCreate
                | AuditAction::VersionApprove
                | AuditAction::VersionCheck
                | AuditAction::VersionPublish
                | AuditAction::VersionSchema
                | AuditAction::VersionUpload
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_has_its_own_dotted_key() {
        let mut keys: Vec<&str> = AuditAction::ALL.iter().map(|a| a.key()).collect();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), AuditAction::ALL.len(), "no key twice");
        assert!(keys.iter().all(|k| k
            .chars()
            .all(|c| c.is_ascii_lowercase() || c == '.' || c == '_')));
    }

    #[test]
    fn signing_in_and_the_portals_publishing_change_no_record() {
        assert!(!AuditAction::Login.changes_records());
        assert!(!AuditAction::VersionPublish.changes_records());
        assert!(AuditAction::SessionVote.changes_records());
        assert!(AuditAction::CallClose.changes_records());
    }
}
