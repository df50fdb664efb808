//! Every stable error code abierto answers with, in one enum: what API clients match on, the
//! key of the message in the catalogs (`error.<code>`), and the HTTP status a response with
//! it carries. A rule broken by a value is 422; the general codes (not found, forbidden,
//! malformed input, …) carry their own status.

use std::fmt;

macro_rules! error_codes {
    ($($variant:ident = $code:literal => $status:literal,)+) => {
        /// A stable snake_case error code, e.g. `invalid_email`.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum ErrorCode {
            $($variant,)+
        }

        impl ErrorCode {
            /// Every code, in the order of the catalogs.
            pub const ALL: &'static [ErrorCode] = &[$(ErrorCode::$variant,)+];

            /// The code as clients see it, e.g. `"invalid_email"`.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(ErrorCode::$variant => $code,)+
                }
            }

            /// The HTTP status of a response that carries this code.
            pub const fn http_status(self) -> u16 {
                match self {
                    $(ErrorCode::$variant => $status,)+
                }
            }
        }
    };
}

error_codes! {
    InvalidLocalDatetime = "invalid_local_datetime" => 422,
    NonexistentLocalTime = "nonexistent_local_time" => 422,
    UnknownTimeZone = "unknown_time_zone" => 422,
    YouthCallNeedsAges = "youth_call_needs_ages" => 422,
    PurposeRequired = "purpose_required" => 422,
    SpamFieldFilled = "spam_field_filled" => 422,
    FormSentTooFast = "form_sent_too_fast" => 422,
    SubmissionFolioNotFound = "submission_folio_not_found" => 422,
    ErasureNotConfirmed = "erasure_not_confirmed" => 422,
    NotAYouthApplication = "not_a_youth_application" => 422,
    ApplicationNotAccepted = "application_not_accepted" => 422,
    NotAYouthCouncil = "not_a_youth_council" => 422,
    SelectionWithoutCommitteeVote = "selection_without_committee_vote" => 422,
    ApplicationAlreadySeated = "application_already_seated" => 422,
    ProposalOfOtherBody = "proposal_of_other_body" => 422,
    OriginNotInActionBank = "origin_not_in_action_bank" => 422,
    SchemaNotJson = "schema_not_json" => 422,
    SchemaInvalid = "schema_invalid" => 422,
    SchemaWithoutFields = "schema_without_fields" => 422,
    SchemaFieldWithoutName = "schema_field_without_name" => 422,
    SchemaDuplicateField = "schema_duplicate_field" => 422,
    SchemaUnknownType = "schema_unknown_type" => 422,
    SchemaUnsupportedFormat = "schema_unsupported_format" => 422,
    SchemaBadConstraint = "schema_bad_constraint" => 422,
    SchemaUnknownPrimaryKey = "schema_unknown_primary_key" => 422,
    InvalidSlug = "invalid_slug" => 422,
    InvalidTitle = "invalid_title" => 422,
    InvalidKeyword = "invalid_keyword" => 422,
    TooManyKeywords = "too_many_keywords" => 422,
    UnknownTheme = "unknown_theme" => 422,
    UnknownLicense = "unknown_license" => 422,
    UnknownFrequency = "unknown_frequency" => 422,
    CoverageEndsBeforeStart = "coverage_ends_before_start" => 422,
    InvalidContact = "invalid_contact" => 422,
    UnknownFormat = "unknown_format" => 422,
    UnsupportedDataFile = "unsupported_data_file" => 422,
    VersionStepNotAllowed = "version_step_not_allowed" => 422,
    DataFileMissing = "data_file_missing" => 422,
    DataFileEmpty = "data_file_empty" => 422,
    DataFileTooLarge = "data_file_too_large" => 422,
    DataFormatChanged = "data_format_changed" => 422,
    TooManyColumns = "too_many_columns" => 422,
    UnknownPublisher = "unknown_publisher" => 422,
    IntegerOutOfRange = "integer_out_of_range" => 422,
    InvalidPage = "invalid_page" => 422,
    DatasetGenerated = "dataset_generated" => 422,
    UnreadableWorkbook = "unreadable_workbook" => 422,
    WorkbookWithoutSheets = "workbook_without_sheets" => 422,
    JsonNotRecords = "json_not_records" => 422,
    ConversionFailed = "conversion_failed" => 422,
    DatasetNameReserved = "dataset_name_reserved" => 422,
    ContactIsAnAccount = "contact_is_an_account" => 422,
    PrivacyConsentRequired = "privacy_consent_required" => 422,
    InvalidIdempotencyKey = "invalid_idempotency_key" => 422,
    InvalidCallKind = "invalid_call_kind" => 422,
    InvalidCallState = "invalid_call_state" => 422,
    CallClosesBeforeOpening = "call_closes_before_opening" => 422,
    CallNotOpenYet = "call_not_open_yet" => 422,
    CallClosed = "call_closed" => 422,
    InvalidSubmissionStatus = "invalid_submission_status" => 422,
    EvaluationStepNotAllowed = "evaluation_step_not_allowed" => 422,
    ReasonsRequired = "reasons_required" => 422,
    InvalidAgeRange = "invalid_age_range" => 422,
    BornInFuture = "born_in_future" => 422,
    AgeOutsideRange = "age_outside_range" => 422,
    ResidenceRequired = "residence_required" => 422,
    CallAlreadyPublished = "call_already_published" => 422,
    CallClosesInThePast = "call_closes_in_the_past" => 422,
    VoteOfOtherBody = "vote_of_other_body" => 422,
    CallWithoutApprovingVote = "call_without_approving_vote" => 422,
    CallNotUnderEvaluation = "call_not_under_evaluation" => 422,
    SubmissionsPendingEvaluation = "submissions_pending_evaluation" => 422,
    SubmissionTokenReused = "submission_token_reused" => 422,
    PersonalDataAlreadyErased = "personal_data_already_erased" => 422,
    KeyRequired = "key_required" => 422,
    KeyTaken = "key_taken" => 422,
    InvalidKey = "invalid_key" => 422,
    PeriodLeavesOutMonths = "period_leaves_out_months" => 422,
    ValueRequired = "value_required" => 422,
    CsvBadEncoding = "csv_bad_encoding" => 422,
    CsvUnreadable = "csv_unreadable" => 422,
    CsvEmpty = "csv_empty" => 422,
    CsvTooManyRows = "csv_too_many_rows" => 422,
    CsvRowLength = "csv_row_length" => 422,
    CsvBlankColumn = "csv_blank_column" => 422,
    CsvDuplicateColumn = "csv_duplicate_column" => 422,
    CsvUnknownColumn = "csv_unknown_column" => 422,
    CsvMissingColumn = "csv_missing_column" => 422,
    DuplicateExternalId = "duplicate_external_id" => 422,
    UnknownPlan = "unknown_plan" => 422,
    UnknownUnit = "unknown_unit" => 422,
    UnknownCommitment = "unknown_commitment" => 422,
    UnknownEvent = "unknown_event" => 422,
    UnknownWork = "unknown_work" => 422,
    InvalidImportKind = "invalid_import_kind" => 422,
    InvalidImportMode = "invalid_import_mode" => 422,
    NotFound = "not_found" => 404,
    InvalidJson = "invalid_json" => 400,
    NulCharacter = "nul_character" => 422,
    InvalidField = "invalid_field" => 400,
    MissingField = "missing_field" => 400,
    UnsupportedMediaType = "unsupported_media_type" => 415,
    PayloadTooLarge = "payload_too_large" => 413,
    Unauthenticated = "unauthenticated" => 401,
    Forbidden = "forbidden" => 403,
    CsrfRejected = "csrf_rejected" => 403,
    Conflict = "conflict" => 409,
    Throttled = "throttled" => 429,
    StoredFileMissing = "stored_file_missing" => 410,
    Unavailable = "unavailable" => 503,
    Internal = "internal" => 500,
    MethodNotAllowed = "method_not_allowed" => 405,
    Timeout = "timeout" => 408,
    InvalidEmail = "invalid_email" => 422,
    InvalidName = "invalid_name" => 422,
    InvalidRole = "invalid_role" => 422,
    PasswordTooShort = "password_too_short" => 422,
    PasswordTooLong = "password_too_long" => 422,
    MissingReference = "missing_reference" => 422,
    InvalidId = "invalid_id" => 422,
    InvalidFormat = "invalid_format" => 422,
    AgendaClosingNotLast = "agenda_closing_not_last" => 422,
    AgendaWithoutClosing = "agenda_without_closing" => 422,
    AlreadySigned = "already_signed" => 422,
    AnnexEmpty = "annex_empty" => 422,
    AnnexMissing = "annex_missing" => 422,
    AnnexTooLarge = "annex_too_large" => 422,
    AnnexTypeRefused = "annex_type_refused" => 422,
    AnnexWithoutFile = "annex_without_file" => 422,
    ColourContrastTooLow = "colour_contrast_too_low" => 422,
    ConvocationWithoutAgenda = "convocation_without_agenda" => 422,
    ConvocationInThePast = "convocation_in_the_past" => 422,
    EmptyVote = "empty_vote" => 422,
    EndBeforeStart = "end_before_start" => 422,
    InvalidAgendaItemKind = "invalid_agenda_item_kind" => 422,
    InvalidBodyKind = "invalid_body_kind" => 422,
    InvalidColour = "invalid_colour" => 422,
    InvalidDate = "invalid_date" => 422,
    InvalidGender = "invalid_gender" => 422,
    InvalidMembershipKind = "invalid_membership_kind" => 422,
    InvalidMinutesStatus = "invalid_minutes_status" => 422,
    InvalidMotionOutcome = "invalid_motion_outcome" => 422,
    InvalidNumber = "invalid_number" => 422,
    InvalidSessionKind = "invalid_session_kind" => 422,
    InvalidSpecialRole = "invalid_special_role" => 422,
    InvalidTime = "invalid_time" => 422,
    InvalidVoteOutcome = "invalid_vote_outcome" => 422,
    ItemNotVoted = "item_not_voted" => 422,
    MembershipNotActive = "membership_not_active" => 422,
    MembershipOverlap = "membership_overlap" => 422,
    MinutesAlreadyApproved = "minutes_already_approved" => 422,
    MinutesAlreadyPublished = "minutes_already_published" => 422,
    MinutesApprovalNotLater = "minutes_approval_not_later" => 422,
    MinutesApproved = "minutes_approved" => 422,
    MinutesNotApproved = "minutes_not_approved" => 422,
    MinutesNotPublished = "minutes_not_published" => 404,
    MinutesOfOtherBody = "minutes_of_other_body" => 422,
    MinutesOfRequired = "minutes_of_required" => 422,
    MinutesUnsigned = "minutes_unsigned" => 422,
    NegativeVoteCount = "negative_vote_count" => 422,
    NoQuorum = "no_quorum" => 422,
    NotAMember = "not_a_member" => 422,
    PasswordUnhashable = "password_unhashable" => 422,
    PeriodEndsBeforeStart = "period_ends_before_start" => 422,
    PlaceRequired = "place_required" => 422,
    ProposerNotPresent = "proposer_not_present" => 422,
    ReelectionNotAllowed = "reelection_not_allowed" => 422,
    SessionOutsidePeriod = "session_outside_period" => 422,
    SignerNotPresent = "signer_not_present" => 422,
    TenureEndsBeforeStart = "tenure_ends_before_start" => 422,
    TermExceedsTwoYears = "term_exceeds_two_years" => 422,
    TextRequired = "text_required" => 422,
    TitleRequired = "title_required" => 422,
    TooManyVotes = "too_many_votes" => 422,
    UnknownBody = "unknown_body" => 422,
    UnknownSession = "unknown_session" => 422,
    MembershipOutsidePeriod = "membership_outside_period" => 422,
    CargoRequired = "cargo_required" => 422,
    UnknownPerson = "unknown_person" => 422,
    ChangesRequired = "changes_required" => 422,
    InvalidArticle = "invalid_article" => 422,
    ArticleRepeated = "article_repeated" => 422,
    SessionOfOtherBody = "session_of_other_body" => 422,
    ItemNotProposal = "item_not_proposal" => 422,
    ItemAlreadyVoted = "item_already_voted" => 422,
    InvalidAmendmentStatus = "invalid_amendment_status" => 422,
    InvalidBallotChoice = "invalid_ballot_choice" => 422,
    BallotNotPresent = "ballot_not_present" => 422,
    BallotWithoutVote = "ballot_without_vote" => 422,
    SeatVotedTwice = "seat_voted_twice" => 422,
    BallotsMismatch = "ballots_mismatch" => 422,
    InvalidVoteCount = "invalid_vote_count" => 422,
    InvalidMonth = "invalid_month" => 422,
    MonthOutsidePlan = "month_outside_plan" => 422,
    InvalidQuarter = "invalid_quarter" => 422,
    WeightsIncomplete = "weights_incomplete" => 422,
    InvalidWeight = "invalid_weight" => 422,
    WeightsMustSumToOne = "weights_must_sum_to_one" => 422,
    QuantityNegative = "quantity_negative" => 422,
    QuantityTooLarge = "quantity_too_large" => 422,
    QuantityNotANumber = "quantity_not_a_number" => 422,
    MeasureRequired = "measure_required" => 422,
    MeasureTooLong = "measure_too_long" => 422,
    MeasureNotAllowed = "measure_not_allowed" => 422,
    InvalidMeasure = "invalid_measure" => 422,
    InvalidStage = "invalid_stage" => 422,
    InvalidAgreementStatus = "invalid_agreement_status" => 422,
    InvalidInquiryKind = "invalid_inquiry_kind" => 422,
    InvalidChannel = "invalid_channel" => 422,
    InvalidOutreachKind = "invalid_outreach_kind" => 422,
    InvalidTopic = "invalid_topic" => 422,
    ConclusionDateRequired = "conclusion_date_required" => 422,
    ConcludedBeforeCreated = "concluded_before_created" => 422,
    ConclusionDateWithoutConclusion = "conclusion_date_without_conclusion" => 422,
    StageChangeBeforeLast = "stage_change_before_last" => 422,
    StageUnchanged = "stage_unchanged" => 422,
    StageBackwardsWithoutReason = "stage_backwards_without_reason" => 422,
    TextTooLong = "text_too_long" => 422,
    InvalidIndicatorKind = "invalid_indicator_kind" => 422,
    InvalidTarget = "invalid_target" => 422,
    InvalidStatus = "invalid_status" => 422,
    DueBeforeWindow = "due_before_window" => 422,
    ReadingComputedFromRecords = "reading_computed_from_records" => 422,
    EvidenceNoteRequired = "evidence_note_required" => 422,
    InvalidPercentage = "invalid_percentage" => 422,
    NoDraftToPublish = "no_draft_to_publish" => 422,
    StageRequired = "stage_required" => 422,
    QuarterOutsidePlan = "quarter_outside_plan" => 422,
    InvalidPlan = "invalid_plan" => 422,
    SpanEndsBeforeStart = "span_ends_before_start" => 422,
}

impl ErrorCode {
    /// The code spelled `code`, if abierto has one.
    pub fn parse(code: &str) -> Option<ErrorCode> {
        ErrorCode::ALL
            .iter()
            .copied()
            .find(|known| known.as_str() == code)
    }

    /// Key of the message in the catalogs.
    pub fn message_key(self) -> String {
        format!("error.{}", self.as_str())
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq<&str> for ErrorCode {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<ErrorCode> for &str {
    fn eq(&self, other: &ErrorCode) -> bool {
        *self == other.as_str()
    }
}

impl serde::Serialize for ErrorCode {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl utoipa::PartialSchema for ErrorCode {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{ObjectBuilder, SchemaType, Type};
        ObjectBuilder::new()
            .schema_type(SchemaType::new(Type::String))
            .enum_values(Some(ErrorCode::ALL.iter().map(|code| code.as_str())))
            .description(Some("Stable snake_case error code."))
            .into()
    }
}

impl utoipa::ToSchema for ErrorCode {
    fn name() -> std::borrow::Cow<'static, str> {
        std::borrow::Cow::Borrowed("ErrorCode")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_code_is_spelled_once_and_parses_back() {
        let mut seen = std::collections::HashSet::new();
        for code in ErrorCode::ALL {
            assert!(seen.insert(code.as_str()), "{code} twice");
            assert_eq!(ErrorCode::parse(code.as_str()), Some(*code));
        }
        assert_eq!(ErrorCode::parse("no_such_code"), None);
    }

    #[test]
    fn a_broken_rule_is_422_and_the_general_codes_keep_their_status() {
        assert_eq!(ErrorCode::InvalidEmail.http_status(), 422);
        assert_eq!(ErrorCode::NotFound.http_status(), 404);
        assert_eq!(ErrorCode::Forbidden.http_status(), 403);
        assert_eq!(ErrorCode::Conflict.http_status(), 409);
        assert_eq!(ErrorCode::PayloadTooLarge.http_status(), 413);
    }
}
