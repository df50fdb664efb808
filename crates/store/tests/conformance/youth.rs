//! The Cabildo Abierto Juvenil: an accepted application to a youth call seated as a member
//! of the council, on a vote of the selection committee; every other case refused.

use abierto_domain::calls::{CallKind, Eligibility, SubmissionStatus, Window};
use abierto_domain::governance::{BodyKind, Gender, Period, Tenure};
use abierto_domain::ids::{BodyId, SubmissionId};
use abierto_store::{Actor, NewBody, NewCall, Store, YouthSeat, YOUTH_CARGO};

use crate::calls::{instant, refused, submission, votes};
use crate::sessions::{body_with_member, day};

async fn body(store: &Store, name: &str, kind: BodyKind) -> BodyId {
    store
        .create_body(
            &Actor::system(),
            &NewBody {
                name: name.into(),
                short_name: name.into(),
                kind,
                period: Period::new(day(2024, 1, 1), day(2024, 12, 31)).unwrap(),
            },
        )
        .await
        .unwrap()
}

/// A youth call of the secretariat with one application, and another of an ideas call.
async fn applications(store: &Store, secretariat: BodyId) -> (SubmissionId, SubmissionId) {
    let actor = Actor::system();
    let (approved, _, _) = votes(store, secretariat).await;
    let mut ids = Vec::new();
    for (kind, eligibility) in [
        (CallKind::Youth, Some(Eligibility::new(15, 29).unwrap())),
        (CallKind::Ideas, None),
    ] {
        let call = store
            .create_call(
                &actor,
                &NewCall {
                    kind,
                    title: "Convocatoria".into(),
                    text: String::new(),
                    requirements: String::new(),
                    body: secretariat,
                    window: Window::new(instant(2024, 8, 19, 6), instant(2024, 9, 7, 6)).unwrap(),
                    eligibility,
                },
                instant(2024, 8, 16, 12),
            )
            .await
            .unwrap();
        store
            .publish_call(&actor, call, approved, instant(2024, 8, 16, 12))
            .await
            .unwrap();
        let receipt = store
            .submit(
                &actor,
                &submission(call, kind.key()),
                instant(2024, 8, 20, 12),
            )
            .await
            .unwrap();
        ids.push(receipt.id);
    }
    (ids[0], ids[1])
}

#[tokio::test]
async fn a_selected_young_person_is_seated_once_on_the_committees_vote() {
    let (store, _db) = abierto_store::testing::fresh_store().await.unwrap();
    let actor = Actor::system();
    let (secretariat, _) = body_with_member(&store).await;
    let committee = body(&store, "Comité de Selección", BodyKind::SelectionCommittee).await;
    let council = body(&store, "Cabildo Abierto Juvenil", BodyKind::YouthCouncil).await;
    let (chosen, _, _) = votes(&store, committee).await;
    let (secretariat_vote, _, _) = votes(&store, secretariat).await;
    let (youth, idea) = applications(&store, secretariat).await;
    let seat = |submission, council, decided_by| YouthSeat {
        submission,
        council,
        decided_by,
        gender: Gender::Feminine,
        tenure: Tenure::new(day(2024, 10, 1), Some(day(2024, 12, 31))).unwrap(),
    };
    let at = instant(2024, 10, 1, 12);

    let err = store
        .seat_selected_youth(&actor, &seat(youth, council, chosen), at)
        .await
        .unwrap_err();
    assert_eq!(refused(err), "application_not_accepted");
    for id in [youth, idea] {
        store
            .evaluate_submission(&actor, id, SubmissionStatus::Accepted, "Cumple", at)
            .await
            .unwrap();
    }
    let cases = [
        (seat(idea, council, chosen), "not_a_youth_application"),
        (seat(youth, secretariat, chosen), "not_a_youth_council"),
        (
            seat(youth, council, secretariat_vote),
            "selection_without_committee_vote",
        ),
    ];
    for (case, code) in cases {
        let err = store
            .seat_selected_youth(&actor, &case, at)
            .await
            .unwrap_err();
        assert_eq!(refused(err), code);
    }

    let membership = store
        .seat_selected_youth(&actor, &seat(youth, council, chosen), at)
        .await
        .unwrap();
    assert_eq!(
        store.youth_seat(youth).await.unwrap(),
        Some((membership, council))
    );
    let members = store.memberships_of(council).await.unwrap();
    assert_eq!(members.len(), 1);
    let (seat_row, person) = &members[0];
    assert_eq!(seat_row.id, membership);
    assert_eq!(seat_row.cargo, YOUTH_CARGO);
    assert_eq!(person.full_name, "Ana Ruiz Téllez");
    let err = store
        .seat_selected_youth(&actor, &seat(youth, council, chosen), at)
        .await
        .unwrap_err();
    assert_eq!(refused(err), "application_already_seated");
}
