//! The open-data catalog on either backend: publishers scoped to their units, datasets with
//! checked metadata, resources, versions walking to publication (a new one superseding the
//! old), findings kept by group, and the datastore's search — filters, text, sort, paging.

use abierto_domain::account::Role;
use abierto_domain::ids::{PublisherId, ResourceId, UserId};
use abierto_domain::opendata::{DatasetMetadata, ResourceFormat, Slug, VersionStatus};
use abierto_store::{
    Actor, CellValue, CheckOutcome, DatastoreField, DatastoreQuery, DatastoreType,
    FindingGroupRecord, NewVersion, Store, StoreError,
};
use chrono::{DateTime, TimeZone, Utc};

use crate::support::new_user;

fn at(day: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, day, 18, 0, 0).unwrap()
}

pub fn metadata(title: &str) -> DatasetMetadata {
    DatasetMetadata {
        title: title.into(),
        description: "Visitas registradas en los centros comunitarios.".into(),
        keywords: vec!["centros comunitarios".into(), "visitas".into()],
        theme: "SOCI".into(),
        license: "CC-BY-4.0".into(),
        frequency: "MONTHLY".into(),
        temporal_start: None,
        temporal_end: None,
        spatial: "León, Guanajuato".into(),
        contact_name: "Dirección de Desarrollo Social".into(),
        contact_email: "datos@leon.example".into(),
    }
}

/// A publisher for a new unit, and a data publisher account of that unit.
async fn publisher(store: &Store, unit_name: &str, slug: &str) -> (PublisherId, UserId) {
    let actor = Actor::system();
    let unit = store.create_unit(&actor, unit_name).await.unwrap();
    let publisher = store
        .create_publisher(&actor, unit, &Slug::parse(slug).unwrap(), "", at(1))
        .await
        .unwrap();
    let mut account = new_user(&format!("{slug}@leon.example"), Role::DataPublisher);
    account.units = vec![unit];
    let user = store.create_user(&actor, &account).await.unwrap();
    (publisher, user)
}

async fn resource(store: &Store, publisher: PublisherId, slug: &str) -> ResourceId {
    let actor = Actor::system();
    let dataset = store
        .create_dataset(
            &actor,
            publisher,
            &Slug::parse(slug).unwrap(),
            metadata(slug),
            at(2),
        )
        .await
        .unwrap();
    store
        .create_resource(
            &actor,
            dataset,
            "visitas.csv",
            "",
            ResourceFormat::Csv,
            at(2),
        )
        .await
        .unwrap()
}

fn upload(resource: ResourceId, sha: &str) -> NewVersion {
    NewVersion {
        resource,
        file_name: "visitas.csv".into(),
        sha256: sha.into(),
        size_bytes: 120,
        table_sha256: None,
        schema_json: r#"{"fields": [{"name": "centro", "type": "string"}]}"#.into(),
    }
}

fn clean(rows: i64) -> CheckOutcome {
    CheckOutcome {
        rows,
        groups: Vec::new(),
    }
}

#[tokio::test]
async fn publishers_see_only_their_units_datasets() {
    let (store, _db) = crate::fresh_store().await.unwrap();
    let (social, social_user) = publisher(
        &store,
        "Dirección de Desarrollo Social",
        "desarrollo-social",
    )
    .await;
    let (ti, ti_user) = publisher(&store, "Dirección General de Tecnologías", "dgti").await;
    resource(&store, social, "visitas-centros").await;
    resource(&store, ti, "tramites-en-linea").await;

    let mine: Vec<String> = store
        .datasets_of(social_user)
        .await
        .unwrap()
        .iter()
        .map(|d| d.slug.as_str().to_owned())
        .collect();
    assert_eq!(mine, ["visitas-centros"]);
    assert_eq!(store.publishers_of(ti_user).await.unwrap()[0].id, ti);
    assert_eq!(store.publisher_by_name("dgti").await.unwrap().id, ti);
    assert_eq!(
        store
            .publisher_by_name(&social.to_string())
            .await
            .unwrap()
            .name,
        "Dirección de Desarrollo Social"
    );
    assert!(matches!(
        store.publisher_by_name("nadie").await,
        Err(StoreError::NotFound)
    ));
    // Nothing is public before a version is published.
    assert!(store.published_datasets().await.unwrap().is_empty());
}

#[tokio::test]
async fn bad_metadata_and_taken_names_are_refused_and_nothing_is_lost() {
    let (store, _db) = crate::fresh_store().await.unwrap();
    let (social, _) = publisher(
        &store,
        "Dirección de Desarrollo Social",
        "desarrollo-social",
    )
    .await;
    let actor = Actor::system();
    let slug = Slug::parse("visitas").unwrap();
    let dataset = store
        .create_dataset(&actor, social, &slug, metadata("Visitas"), at(2))
        .await
        .unwrap();
    let taken = store
        .create_dataset(&actor, social, &slug, metadata("Otra"), at(2))
        .await;
    assert!(
        matches!(taken, Err(StoreError::Conflict { ref field }) if field == "slug"),
        "{taken:?}"
    );
    let mut bad = metadata("Visitas");
    bad.license = "MIT".into();
    let refused = store.update_dataset(&actor, dataset, bad, at(3)).await;
    assert!(matches!(refused, Err(StoreError::Refused(e)) if e.code() == "unknown_license"));
    assert_eq!(
        store.dataset(dataset).await.unwrap().metadata.license,
        "CC-BY-4.0"
    );
    store
        .create_resource(
            &actor,
            dataset,
            "visitas.csv",
            "",
            ResourceFormat::Csv,
            at(2),
        )
        .await
        .unwrap();
    let twice = store
        .create_resource(
            &actor,
            dataset,
            "visitas.csv",
            "",
            ResourceFormat::Csv,
            at(2),
        )
        .await;
    assert!(
        matches!(twice, Err(StoreError::Conflict { .. })),
        "{twice:?}"
    );
}

#[tokio::test]
async fn a_version_walks_to_publication_and_a_newer_one_supersedes_it() {
    let (store, _db) = crate::fresh_store().await.unwrap();
    let (social, user) = publisher(
        &store,
        "Dirección de Desarrollo Social",
        "desarrollo-social",
    )
    .await;
    let (_, officer_unit_user) =
        publisher(&store, "Unidad de Transparencia", "transparencia").await;
    let resource = resource(&store, social, "visitas-centros").await;
    let actor = Actor::user(user, None);

    let first = store
        .add_version(&actor, user, &upload(resource, "aa"), at(3))
        .await
        .unwrap();
    assert_eq!(
        store.version(first).await.unwrap().status,
        VersionStatus::Validating
    );
    let findings = CheckOutcome {
        rows: 10,
        groups: vec![FindingGroupRecord {
            code: "type-error".into(),
            field_number: Some(3),
            field_name: Some("visitas".into()),
            count: 2,
            examples_json: r#"[{"row": 4, "cell": "doce"}]"#.into(),
        }],
    };
    assert_eq!(
        store
            .record_check(&actor, first, &findings, at(3))
            .await
            .unwrap(),
        VersionStatus::Findings
    );
    let kept = store.version_findings(first).await.unwrap();
    assert_eq!(kept.len(), 1);
    assert_eq!(
        (kept[0].count, kept[0].field_name.as_deref()),
        (2, Some("visitas"))
    );
    // A version with findings cannot be approved.
    let early = store
        .approve_version(&actor, officer_unit_user, first, at(4))
        .await;
    assert!(matches!(early, Err(StoreError::Refused(e)) if e.code() == "version_step_not_allowed"));

    // A new schema sends it back to be checked; a clean check makes it valid.
    store
        .replace_schema(&actor, first, r#"{"fields": []}"#)
        .await
        .unwrap();
    assert_eq!(
        store
            .record_check(&actor, first, &clean(10), at(4))
            .await
            .unwrap(),
        VersionStatus::Valid
    );
    assert!(store.version_findings(first).await.unwrap().is_empty());
    assert_eq!(
        store.versions_awaiting_approval().await.unwrap()[0].id,
        first
    );
    store
        .approve_version(&actor, officer_unit_user, first, at(5))
        .await
        .unwrap();
    assert_eq!(
        store.publish_version(&actor, first, at(5)).await.unwrap(),
        None
    );
    let dataset = store.published_datasets().await.unwrap();
    assert_eq!(dataset.len(), 1);
    assert_eq!(dataset[0].published_at, Some(at(5)));

    let online = store.published_resources().await.unwrap();
    assert_eq!(online.len(), 1);
    assert_eq!(online[0].id, resource);

    // The second version is checked while the first stays online.
    let second = store
        .add_version(&actor, user, &upload(resource, "bb"), at(6))
        .await
        .unwrap();
    assert_eq!(store.version(second).await.unwrap().number, 2);
    assert_eq!(
        store.published_version(resource).await.unwrap().unwrap().id,
        first
    );
    store
        .record_check(&actor, second, &clean(12), at(6))
        .await
        .unwrap();
    store
        .approve_version(&actor, officer_unit_user, second, at(7))
        .await
        .unwrap();
    store.publish_version(&actor, second, at(7)).await.unwrap();
    assert_eq!(
        store.published_version(resource).await.unwrap().unwrap().id,
        second
    );
    assert_eq!(
        store.version(first).await.unwrap().status,
        VersionStatus::Superseded
    );
    // Published once, the dataset keeps its first publication date.
    assert_eq!(
        store.dataset(dataset[0].id).await.unwrap().published_at,
        Some(at(5))
    );
    // A published version cannot be checked again or republished.
    assert!(store.replace_schema(&actor, second, "{}").await.is_err());
    assert!(store.publish_version(&actor, second, at(8)).await.is_err());
}

fn fields() -> Vec<DatastoreField> {
    vec![
        DatastoreField::new("centro", DatastoreType::Text),
        DatastoreField::new("visitas", DatastoreType::Int),
        DatastoreField::new("monto", DatastoreType::Numeric),
        DatastoreField::new("activo", DatastoreType::Bool),
        DatastoreField::new("fecha", DatastoreType::Date),
    ]
}

fn row(
    centro: &str,
    visitas: Option<i64>,
    monto: f64,
    activo: bool,
    fecha: &str,
) -> Vec<CellValue> {
    vec![
        CellValue::Text(centro.into()),
        visitas.map_or(CellValue::Null, CellValue::Int),
        CellValue::Float(monto),
        CellValue::Bool(activo),
        CellValue::Text(fecha.into()),
    ]
}

#[tokio::test]
async fn the_datastore_filters_searches_sorts_and_pages() {
    let (store, _db) = crate::fresh_store().await.unwrap();
    let (social, user) = publisher(
        &store,
        "Dirección de Desarrollo Social",
        "desarrollo-social",
    )
    .await;
    let resource = resource(&store, social, "visitas-centros").await;
    let actor = Actor::user(user, None);
    let version = store
        .add_version(&actor, user, &upload(resource, "cc"), at(3))
        .await
        .unwrap();
    store
        .record_check(&actor, version, &clean(5), at(3))
        .await
        .unwrap();
    store
        .approve_version(&actor, user, version, at(3))
        .await
        .unwrap();

    let table = store.create_datastore(version, &fields()).await.unwrap();
    let mut rows = vec![
        row("Las Joyas", Some(12), 10.5, true, "2026-03-01"),
        row("Piletas", Some(3), 2.0, false, "2026-03-02"),
        row("Las Joyas", None, 7.25, true, "2026-03-03"),
        row("San Juan de Abajo", Some(40), 0.0, true, "2026-03-04"),
        row("50% Jacinto_López", Some(1), 1.0, false, "2026-03-05"),
    ];
    // Enough rows to need several INSERT statements.
    for i in 0..7000 {
        rows.push(row("Relleno", Some(i), 1.0, false, "2026-01-01"));
    }
    store
        .insert_datastore_rows(&table, &fields(), 1, &rows)
        .await
        .unwrap();
    // Not findable before it is registered and published.
    assert!(store
        .datastore_of_resource(resource)
        .await
        .unwrap()
        .is_none());
    store
        .register_datastore(&actor, version, &table, &fields(), rows.len() as i64, at(3))
        .await
        .unwrap();
    // Loading is a write like any other: audited, with what was loaded.
    let logged = &store.audit_entries(1).await.unwrap()[0];
    assert_eq!(logged.action, "datastore.load");
    assert!(
        logged.detail.starts_with("7005 filas en datastore_v"),
        "{}",
        logged.detail
    );
    store.publish_version(&actor, version, at(3)).await.unwrap();
    let table = store
        .datastore_of_resource(resource)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(table.rows, 7005);

    let search = |query: DatastoreQuery| {
        let store = store.clone();
        let table = table.clone();
        async move { store.search_datastore(&table, &query).await.unwrap() }
    };
    let joyas = search(DatastoreQuery {
        filters: vec![(0, vec![CellValue::Text("Las Joyas".into())])],
        limit: 10,
        ..Default::default()
    })
    .await;
    assert_eq!(joyas.total, Some(2));
    assert_eq!(joyas.records[0].1, rows[0]);
    assert_eq!(joyas.records[1].1[1], CellValue::Null);
    let uncounted = search(DatastoreQuery {
        filters: vec![(0, vec![CellValue::Text("Las Joyas".into())])],
        limit: 10,
        skip_total: true,
        ..Default::default()
    })
    .await;
    assert_eq!(uncounted.total, None, "the count was skipped");
    assert_eq!(uncounted.records, joyas.records);

    let either = search(DatastoreQuery {
        filters: vec![
            (
                0,
                vec![
                    CellValue::Text("Piletas".into()),
                    CellValue::Text("Las Joyas".into()),
                ],
            ),
            (3, vec![CellValue::Bool(true)]),
        ],
        limit: 10,
        ..Default::default()
    })
    .await;
    assert_eq!(either.total, Some(2));

    // Text search is case-insensitive and takes % and _ literally.
    let text = search(DatastoreQuery {
        q: Some("50% JACINTO_".into()),
        limit: 10,
        ..Default::default()
    })
    .await;
    assert_eq!(text.total, Some(1));
    assert_eq!(text.records[0].0, 5);
    let literal = search(DatastoreQuery {
        q: Some("%".into()),
        limit: 10,
        ..Default::default()
    })
    .await;
    assert_eq!(literal.total, Some(1));

    let sorted = search(DatastoreQuery {
        sort: vec![(Some(1), true)],
        fields: Some(vec![1, 0]),
        limit: 2,
        offset: 1,
        ..Default::default()
    })
    .await;
    assert_eq!(sorted.columns, vec![1, 0]);
    assert_eq!(sorted.total, Some(7005));
    let visits: Vec<&CellValue> = sorted.records.iter().map(|r| &r.1[0]).collect();
    assert_eq!(visits, [&CellValue::Int(6998), &CellValue::Int(6997)]);

    // Numbers filter by value.
    let money = search(DatastoreQuery {
        filters: vec![(2, vec![CellValue::Float(7.25)]), (1, vec![])],
        limit: 5,
        ..Default::default()
    })
    .await;
    assert_eq!(money.total, Some(1));
    assert_eq!(money.records[0].0, 3);
}

/// Loads one row as a new version of `resource` and publishes it on `day`.
async fn publish_loaded(store: &Store, user: UserId, resource: ResourceId, sha: &str, day: u32) {
    let actor = Actor::user(user, None);
    let version = store
        .add_version(&actor, user, &upload(resource, sha), at(day))
        .await
        .unwrap();
    store
        .record_check(&actor, version, &clean(1), at(day))
        .await
        .unwrap();
    store
        .approve_version(&actor, user, version, at(day))
        .await
        .unwrap();
    let table = store.create_datastore(version, &fields()).await.unwrap();
    let rows = vec![row(sha, Some(1), 1.0, true, "2026-03-01")];
    store
        .insert_datastore_rows(&table, &fields(), 1, &rows)
        .await
        .unwrap();
    store
        .register_datastore(&actor, version, &table, &fields(), 1, at(day))
        .await
        .unwrap();
    store
        .publish_version(&actor, version, at(day))
        .await
        .unwrap();
}

#[tokio::test]
async fn a_superseded_datastore_stays_readable_until_it_is_swept() {
    let (store, _db) = crate::fresh_store().await.unwrap();
    let (social, user) = publisher(&store, "Dirección de Desarrollo Social", "social").await;
    let resource = resource(&store, social, "apoyos").await;
    publish_loaded(&store, user, resource, "uno", 3).await;
    // A reader looks the table up; then a newer version goes online.
    let looked_up = store
        .datastore_of_resource(resource)
        .await
        .unwrap()
        .unwrap();
    publish_loaded(&store, user, resource, "dos", 5).await;
    let current = store
        .datastore_of_resource(resource)
        .await
        .unwrap()
        .unwrap();
    assert_ne!(current.table_name, looked_up.table_name);

    // The reader's search still finds the rows it looked up.
    let query = DatastoreQuery {
        limit: 10,
        ..Default::default()
    };
    let page = store.search_datastore(&looked_up, &query).await.unwrap();
    assert_eq!(page.records[0].1[0], CellValue::Text("uno".into()));

    // A sweep before the grace period leaves it; one after drops it, and only it.
    assert_eq!(store.drop_superseded_datastores(at(5)).await.unwrap(), 0);
    assert_eq!(store.drop_superseded_datastores(at(6)).await.unwrap(), 1);
    assert!(store.search_datastore(&looked_up, &query).await.is_err());
    let page = store.search_datastore(&current, &query).await.unwrap();
    assert_eq!(page.records[0].1[0], CellValue::Text("dos".into()));
    assert_eq!(store.drop_superseded_datastores(at(9)).await.unwrap(), 0);
}

#[tokio::test]
async fn the_platforms_own_records_follow_the_designated_publisher() {
    let (store, _db) = crate::fresh_store().await.unwrap();
    let actor = Actor::system();
    let (dgti, officer) = publisher(&store, "DGTI", "dgti").await;
    let (transparencia, _) = publisher(&store, "Unidad de Transparencia", "transparencia").await;
    assert_eq!(store.own_records_publication().await.unwrap(), None);

    // Refused designations store nothing.
    for (publisher, name, email, code) in [
        (
            PublisherId::new(99_999),
            "DGTI",
            "datos@leon.example",
            "unknown_publisher",
        ),
        (dgti, "  ", "datos@leon.example", "invalid_contact"),
        (dgti, "DGTI", "no es correo", "invalid_email"),
    ] {
        match store
            .designate_own_records(&actor, publisher, name, email, officer, at(3))
            .await
        {
            Err(StoreError::Refused(e)) => assert_eq!(e.code(), code),
            other => panic!("{code}: {other:?}"),
        }
    }
    assert_eq!(store.own_records_publication().await.unwrap(), None);

    store
        .designate_own_records(&actor, dgti, " DGTI ", "Datos@Leon.example", officer, at(3))
        .await
        .unwrap();
    let designated = store.own_records_publication().await.unwrap().unwrap();
    assert_eq!(
        (
            designated.publisher,
            designated.publisher_name.as_str(),
            designated.contact_name.as_str(),
            designated.contact_email.as_str()
        ),
        (dgti, "DGTI", "DGTI", "datos@leon.example")
    );
    assert_eq!(
        (designated.authorised_by, designated.authorised_at),
        (officer, at(3))
    );

    // A generated dataset is found by its records, and moves with the designation.
    assert_eq!(store.generated_dataset("sessions").await.unwrap(), None);
    let slug = Slug::parse("sesiones").unwrap();
    let id = store
        .create_generated_dataset(&actor, dgti, &slug, metadata("Sesiones"), "sessions", at(4))
        .await
        .unwrap();
    let uploaded = resource(&store, dgti, "subido").await;
    store
        .designate_own_records(
            &actor,
            transparencia,
            "UT",
            "ut@leon.example",
            officer,
            at(5),
        )
        .await
        .unwrap();
    let generated = store.generated_dataset("sessions").await.unwrap().unwrap();
    assert_eq!((generated.id, generated.publisher), (id, transparencia));
    assert_eq!(generated.generated_from.as_deref(), Some("sessions"));
    let by_hand = store.resource(uploaded).await.unwrap().dataset;
    assert_eq!(
        store.dataset(by_hand).await.unwrap().publisher,
        dgti,
        "uploads stay"
    );
    // Only one designation is kept.
    assert_eq!(
        store
            .own_records_publication()
            .await
            .unwrap()
            .unwrap()
            .publisher,
        transparencia
    );
}

#[tokio::test]
async fn a_converted_upload_keeps_both_files() {
    let (store, _db) = crate::fresh_store().await.unwrap();
    let (dgti, user) = publisher(&store, "DGTI", "dgti").await;
    let resource = resource(&store, dgti, "en-excel").await;
    let actor = Actor::system();
    let plain = store
        .add_version(&actor, user, &upload(resource, &"a".repeat(64)), at(3))
        .await
        .unwrap();
    let mut workbook = upload(resource, &"b".repeat(64));
    workbook.file_name = "visitas.xlsx".into();
    workbook.table_sha256 = Some("c".repeat(64));
    let converted = store
        .add_version(&actor, user, &workbook, at(4))
        .await
        .unwrap();

    let plain = store.version(plain).await.unwrap();
    assert_eq!(
        (plain.table_sha256.as_deref(), plain.table_file()),
        (None, "a".repeat(64).as_str())
    );
    let converted = store.version(converted).await.unwrap();
    assert_eq!(converted.sha256, "b".repeat(64), "the original is kept");
    assert_eq!(
        converted.table_file(),
        "c".repeat(64),
        "the table is what was made of it"
    );
}
