//! The open-data portal over HTTP: a data publisher creates a dataset, uploads a CSV with
//! errors, reads the findings, uploads a fixed version; a data officer approves it; the public
//! finds it in the catalog and downloads it. And the refusals on the way.

use reqwest::multipart::{Form, Part};
use reqwest::Response;

use crate::helpers::{
    demo_store, location, new_client, spawn_app, spawn_on, Config, TestApp, MEMBER, STAFF,
};

pub const PUBLISHER: (&str, &str) = ("datos@leon.example", "demo-datos-abiertos");

/// 105 good rows, then what a first capture gets wrong: a number in words, an empty line, a
/// repeated folio. The errors come after the 100 rows the schema is inferred from, as in a
/// real file whose first rows are clean.
fn with_errors() -> String {
    let mut csv = good_rows(105);
    csv.push_str("106,2026-02-02,Piletas,dos mil\n\n105,2026-02-04,León II,3500\n");
    csv
}

/// The same file fixed, with a cell a spreadsheet would run as a formula and a negative amount.
fn fixed() -> String {
    let mut csv = good_rows(105);
    csv.push_str("106,2026-02-02,Piletas,2000\n107,2026-02-03,\"=HYPERLINK(\"\"http://x\"\")\",2500\n108,2026-02-04,León II,-3500\n");
    csv
}

fn good_rows(n: usize) -> String {
    let mut csv = "folio,fecha,colonia,monto\n".to_owned();
    for i in 1..=n {
        csv.push_str(&format!(
            "{i},2026-02-{:02},Las Joyas,{}\n",
            i % 28 + 1,
            1000 + i
        ));
    }
    csv
}

async fn upload(app: &TestApp, path: &str, name: &str, file_name: &str, bytes: &[u8]) -> Response {
    let form = Form::new()
        .text("csrf_token", app.csrf_token().await)
        .text("name", name.to_owned())
        .part(
            "file",
            Part::bytes(bytes.to_vec()).file_name(file_name.to_owned()),
        );
    app.client
        .post(app.url(path))
        .multipart(form)
        .send()
        .await
        .unwrap()
}

/// The publisher id of the DGTI, as the new-dataset form offers it.
pub async fn dgti(app: &TestApp) -> String {
    let page = app.get_text("/datos-abiertos/publicar").await;
    let at = page
        .find(">Dirección General de Tecnologías de la Información y Gobierno Digital</option>")
        .expect("the DGTI is offered");
    let start = page[..at].rfind("value=\"").unwrap() + 7;
    page[start..].split('"').next().unwrap().to_owned()
}

/// Where the dataset's management page posts a new version of its first resource.
async fn new_version_form(app: &TestApp, dataset_page: &str) -> String {
    let manage = app.get_text(dataset_page).await;
    manage
        .split("action=\"")
        .find(|s| s.contains("/versiones\""))
        .and_then(|s| s.split('"').next())
        .unwrap()
        .to_owned()
}

/// Creates a dataset as the signed-in publisher; gives its management page's path.
async fn create_dataset(app: &TestApp, name: &str) -> String {
    let publisher = dgti(app).await;
    let response = app
        .post_form(
            "/datos-abiertos/publicar",
            &[
                ("publisher", publisher.as_str()),
                ("title", "Apoyos entregados por colonia"),
                ("name", name),
                ("description", "Apoyos económicos entregados en 2026."),
                ("keywords", "apoyos, colonias"),
                ("theme", "EDUC"),
                ("license", "CC-BY-4.0"),
                ("frequency", "MONTHLY"),
                ("temporal_start", "2026-02-01"),
                ("temporal_end", ""),
                ("spatial", "León, Guanajuato"),
                ("contact_name", "Dirección de Datos"),
                ("contact_email", "datos.abiertos@leon.example"),
            ],
        )
        .await;
    assert_eq!(response.status(), 303, "{}", response.text().await.unwrap());
    location(&response)
}

#[tokio::test]
async fn a_publisher_fixes_findings_and_an_officer_publishes_the_fixed_version() {
    let mut app = spawn_app().await;
    app.login(PUBLISHER).await;
    let dataset_page = create_dataset(&app, "apoyos-por-colonia").await;
    assert!(dataset_page.starts_with("/datos-abiertos/publicar/conjuntos/"));

    // The first upload has findings; the page groups them by code and column.
    let response = upload(
        &app,
        &format!("{dataset_page}/recursos"),
        "Apoyos",
        "apoyos.csv",
        with_errors().as_bytes(),
    )
    .await;
    assert_eq!(response.status(), 303);
    let first_version = location(&response);
    let page = app.get_text(&first_version).await;
    assert!(page.contains("Hallazgos por corregir"), "{page}");
    assert!(
        page.contains("Tipo de dato incorrecto — Columna monto (4): 1"),
        "{page}"
    );
    assert!(page.contains("Fila vacía: 1"), "{page}");
    assert!(
        page.contains("<td>108</td>"),
        "the blank row is row 108: {page}"
    );
    assert!(page.contains("Llave primaria repetida o vacía"), "{page}");
    assert!(page.contains("<code>dos mil</code>"));
    assert!(
        !page.contains("Aprobar y publicar"),
        "findings cannot be approved"
    );
    // The public sees nothing yet.
    assert_eq!(
        app.get("/datos-abiertos/conjuntos/apoyos-por-colonia")
            .await
            .status(),
        404
    );

    // The fixed file, uploaded as a new version of the same resource, is valid.
    let version_form = new_version_form(&app, &dataset_page).await;
    let response = upload(&app, &version_form, "", "apoyos.csv", fixed().as_bytes()).await;
    assert_eq!(response.status(), 303);
    let second_version = location(&response);
    let page = app.get_text(&second_version).await;
    assert!(page.contains("Válida, por aprobar"), "{page}");
    assert!(page.contains("Sin hallazgos"));
    // A publisher cannot approve.
    let approve = format!("{second_version}/aprobar");
    assert_eq!(app.post_form(&approve, &[]).await.status(), 403);

    // The officer approves, which publishes.
    app.client = new_client();
    app.login(STAFF).await;
    let queue = app.get_text("/datos-abiertos/publicar/revision").await;
    assert!(queue.contains("Apoyos entregados por colonia"));
    let response = app.post_form(&approve, &[]).await;
    assert_eq!(response.status(), 303);
    assert_eq!(
        location(&response),
        "/datos-abiertos/conjuntos/apoyos-por-colonia"
    );

    // The public page shows the schema, the preview and the downloads.
    let public = new_client();
    let html = app
        .public_text("/datos-abiertos/conjuntos/apoyos-por-colonia")
        .await;
    assert!(
        html.contains("Revisado sin hallazgos: 108 filas revisadas"),
        "{html}"
    );
    assert!(html.contains("<td>Las Joyas</td>"));
    assert_eq!(
        html.matches("<td>Las Joyas</td>").count(),
        10,
        "a preview of 10 rows"
    );
    assert!(html.contains("\"@type\":\"Dataset\""));
    let resource = html
        .split("/datos-abiertos/recursos/")
        .nth(1)
        .and_then(|s| s.split('/').next())
        .unwrap()
        .to_owned();
    let original = public
        .get(app.url(&format!("/datos-abiertos/recursos/{resource}/original")))
        .send()
        .await
        .unwrap();
    assert_eq!(original.status(), 200);
    assert_eq!(original.bytes().await.unwrap(), fixed().as_bytes());
    let csv = app
        .public_text(&format!("/datos-abiertos/recursos/{resource}/datos.csv"))
        .await;
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], "folio,fecha,colonia,monto");
    // A formula is neutralised; a negative number is left a number.
    assert_eq!(lines.len(), 109);
    assert_eq!(
        lines[107],
        "107,2026-02-03,\"'=HYPERLINK(\"\"http://x\"\")\",2500"
    );
    assert_eq!(lines[108], "108,2026-02-04,León II,-3500");
    let json: serde_json::Value = public
        .get(app.url(&format!("/datos-abiertos/recursos/{resource}/datos.json")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(json.as_array().unwrap().len(), 108);
    assert_eq!(json[105]["monto"], 2000);
    assert_eq!(json[105]["fecha"], "2026-02-02");
    assert_eq!(json[107]["monto"], -3500);

    // The catalog finds it by words without accents and by facet.
    let catalog = app.get_text("/datos-abiertos?q=colonia+apoyos").await;
    assert!(catalog.contains("Apoyos entregados por colonia"));
    let none = app.get_text("/datos-abiertos?q=colonia&tema=HEAL").await;
    assert!(none.contains("Ningún conjunto de datos coincide"));
    let themed = app.get_text("/datos-abiertos?tema=EDUC").await;
    assert!(themed.contains("Apoyos entregados por colonia"));
    assert!(themed.contains("aria-current=\"true\""));
}

#[tokio::test]
async fn the_schema_can_be_corrected_and_the_file_is_checked_again() {
    let app = spawn_app().await;
    app.login(PUBLISHER).await;
    let dataset_page = create_dataset(&app, "con-fechas-locales").await;
    let csv = "clave,fecha\nA,17/03/2026\nB,18/03/2026\n";
    let response = upload(
        &app,
        &format!("{dataset_page}/recursos"),
        "",
        "f.csv",
        csv.as_bytes(),
    )
    .await;
    let version = location(&response);
    let page = app.get_text(&version).await;
    assert!(
        page.contains("Válida, por aprobar"),
        "day-first dates are inferred: {page}"
    );
    // The publisher makes `fecha` an ISO date: every row is now a type error.
    let response = app
        .post_form(
            &format!("{version}/esquema"),
            &[
                ("type", "string"),
                ("format", "default"),
                ("type", "date"),
                ("format", "default"),
                ("primary_key", "0"),
            ],
        )
        .await;
    assert_eq!(response.status(), 303);
    let page = app.get_text(&version).await;
    assert!(
        page.contains("Tipo de dato incorrecto — Columna fecha (2): 2"),
        "{page}"
    );
    // A type the specification does not have is refused, and the schema is kept.
    let response = app
        .post_form(
            &format!("{version}/esquema"),
            &[
                ("type", "string"),
                ("format", ""),
                ("type", "fecha"),
                ("format", ""),
            ],
        )
        .await;
    assert_eq!(response.status(), 422);
    assert!(response.text().await.unwrap().contains("tipo desconocido"));
    assert!(app
        .get_text(&version)
        .await
        .contains("Columna fecha (2): 2"));
}

#[tokio::test]
async fn a_table_wider_than_the_datastore_holds_is_refused_at_upload_naming_the_limit() {
    let app = spawn_app().await;
    app.login(PUBLISHER).await;
    let dataset_page = create_dataset(&app, "ancha").await;
    let header: Vec<String> = (1..=5000).map(|n| format!("c{n}")).collect();
    let wide = format!("{}\n{}\n", header.join(","), vec!["1"; 5000].join(","));
    let add = format!("{dataset_page}/recursos");
    let response = upload(&app, &add, "", "ancho.csv", wide.as_bytes()).await;
    assert_eq!(response.status(), 422);
    let page = response.text().await.unwrap();
    let limit = abierto_domain::opendata::MAX_TABLE_COLUMNS.to_string();
    assert!(page.contains(&format!("más de {limit} columnas")), "{page}");
    // Refused before anything was recorded: no resource, no version.
    let page = app.get_text(&dataset_page).await;
    assert!(!page.contains("Versiones"), "{page}");
    // A table exactly as wide as the limit is a table like any other.
    let header: Vec<String> = (1..=1500).map(|n| format!("c{n}")).collect();
    let widest = format!("{}\n{}\n", header.join(","), vec!["1"; 1500].join(","));
    let response = upload(&app, &add, "", "ancho.csv", widest.as_bytes()).await;
    assert_eq!(response.status(), 303);
}

#[tokio::test]
async fn bad_uploads_are_refused_in_spanish_and_store_nothing() {
    let (store, db) = demo_store().await;
    let config = Config::with_app(abierto_app::Settings {
        max_data_file_bytes: 2048,
        ..abierto_app::Settings::default()
    });
    let app = spawn_on(store, db, config).await;
    app.login(PUBLISHER).await;
    let dataset_page = create_dataset(&app, "rechazos").await;
    let add = format!("{dataset_page}/recursos");

    let response = upload(&app, &add, "", "vacio.csv", b"").await;
    assert_eq!(response.status(), 422);
    assert!(response
        .text()
        .await
        .unwrap()
        .contains("El archivo está vacío (0 bytes)"));

    let big = format!("a,b\n{}", "1,2\n".repeat(1000));
    let response = upload(&app, &add, "", "grande.csv", big.as_bytes()).await;
    assert_eq!(response.status(), 422);
    let html = response.text().await.unwrap();
    assert!(
        html.contains("supera el tamaño máximo permitido. Tamaño máximo: 2 KiB"),
        "{html}"
    );

    // Over the route's body limit, the upload is stopped while read: the same refusal.
    let over = "1,2\n".repeat(40_000);
    let response = upload(&app, &add, "", "grande.csv", over.as_bytes()).await;
    assert_eq!(response.status(), 422);
    assert!(response
        .text()
        .await
        .unwrap()
        .contains("Tamaño máximo: 2 KiB."));
    // Over every upload limit, the request is refused before any handler, naming the limit.
    let huge = vec![b'1'; 11 * 1024 * 1024];
    let response = upload(&app, &add, "", "enorme.csv", &huge).await;
    assert_eq!(response.status(), 413);
    assert!(response
        .text()
        .await
        .unwrap()
        .contains("Tamaño máximo: 2 KiB."));

    let response = upload(&app, &add, "", "informe.pdf", b"%PDF-1.4").await;
    assert_eq!(response.status(), 422);
    assert!(response
        .text()
        .await
        .unwrap()
        .contains("Sube un archivo CSV"));

    // Nothing refused left a resource behind.
    let page = app.get_text(&dataset_page).await;
    assert!(!page.contains("Versiones"), "{page}");

    // Bytes that are not UTF-8 are a finding, not a failure.
    let latin1 = b"colonia,total\nLe\xf3n,3\n";
    let response = upload(&app, &add, "", "latin1.csv", latin1).await;
    assert_eq!(response.status(), 303);
    let page = app.get_text(&location(&response)).await;
    assert!(page.contains("Codificación que no es UTF-8"), "{page}");
    // Not even the header can be read: the version's page still opens, says why, and offers
    // no columns to edit.
    let unreadable = b"a\xf1o,total\n2024,3\n\xff\xfe,4\n";
    let response = upload(&app, &add, "", "cabecera.csv", unreadable).await;
    assert_eq!(response.status(), 303);
    let version = app.get(&location(&response)).await;
    assert_eq!(version.status(), 200);
    let page = version.text().await.unwrap();
    assert!(page.contains("Codificación que no es UTF-8"), "{page}");

    // Ragged rows and repeated headers are findings too.
    let ragged = "a,a,c\n1,2\n1,2,3,4\n";
    let response = upload(&app, &add, "Irregular", "irregular.csv", ragged.as_bytes()).await;
    let page = app.get_text(&location(&response)).await;
    assert!(page.contains("Encabezado repetido"));
    assert!(page.contains("Celda faltante"));
    assert!(page.contains("Celda de más"));
}

#[tokio::test]
async fn only_publishers_of_the_unit_and_the_secretariat_reach_the_publishing_pages() {
    let mut app = spawn_app().await;
    app.login(PUBLISHER).await;
    let dataset_page = create_dataset(&app, "de-la-dgti").await;

    app.client = new_client();
    app.login(MEMBER).await;
    assert_eq!(app.get("/datos-abiertos/publicar").await.status(), 403);
    assert_eq!(app.get(&dataset_page).await.status(), 403);
    assert_eq!(
        app.get("/datos-abiertos/publicar/revision").await.status(),
        403
    );
    let response = upload(
        &app,
        &format!("{dataset_page}/recursos"),
        "",
        "x.csv",
        b"a\n1\n",
    )
    .await;
    assert_eq!(response.status(), 403);

    app.client = new_client();
    app.login(STAFF).await;
    assert_eq!(app.get(&dataset_page).await.status(), 200);

    // Without an account, the publishing pages ask to sign in.
    app.client = new_client();
    let response = app.get("/datos-abiertos/publicar").await;
    assert_eq!(response.status(), 303);
    assert!(location(&response).starts_with("/entrar"));
}

/// A workbook of `rows` support payments, with real dates; `bad_amount` puts an amount in
/// words in that data row.
fn workbook(rows: u32, bad_amount: Option<u32>) -> Vec<u8> {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let date = Format::new().set_num_format("dd/mm/yyyy");
    for (col, name) in ["folio", "fecha", "colonia", "monto"].iter().enumerate() {
        sheet.write_string(0, col as u16, *name).unwrap();
    }
    for row in 1..=rows {
        sheet.write_number(row, 0, row).unwrap();
        let day = ExcelDateTime::from_ymd(2026, 2, (row % 28 + 1) as u8).unwrap();
        sheet
            .write_datetime_with_format(row, 1, &day, &date)
            .unwrap();
        sheet.write_string(row, 2, "Las Joyas").unwrap();
        if bad_amount == Some(row) {
            sheet.write_string(row, 3, "dos mil").unwrap();
        } else {
            sheet.write_number(row, 3, 1000 + row).unwrap();
        }
    }
    book.save_to_buffer().unwrap()
}

#[tokio::test]
async fn spreadsheets_and_json_are_checked_as_tables_and_kept_as_uploaded() {
    let mut app = spawn_app().await;
    app.login(PUBLISHER).await;
    let dataset_page = create_dataset(&app, "apoyos-en-excel").await;
    let add = format!("{dataset_page}/recursos");

    // A sheet with an amount in words: a finding at the sheet's row.
    let response = upload(
        &app,
        &add,
        "Apoyos (Excel)",
        "apoyos.xlsx",
        &workbook(120, Some(110)),
    )
    .await;
    assert_eq!(response.status(), 303);
    let page = app.get_text(&location(&response)).await;
    assert!(
        page.contains("Tipo de dato incorrecto — Columna monto (4): 1"),
        "{page}"
    );
    assert!(
        page.contains("<td>111</td>"),
        "data row 110 is the sheet's row 111: {page}"
    );

    // The fixed workbook, as a new version, is valid and dates read as dates.
    let version_form = new_version_form(&app, &dataset_page).await;
    let fixed = workbook(120, None);
    let response = upload(&app, &version_form, "", "apoyos.xlsx", &fixed).await;
    let xlsx_version = location(&response);
    let page = app.get_text(&xlsx_version).await;
    assert!(page.contains("Válida, por aprobar"), "{page}");
    assert!(
        page.contains("value=\"date\" selected"),
        "the dates are typed as dates: {page}"
    );
    // A JSON file is not a new version of a spreadsheet.
    let response = upload(&app, &version_form, "", "apoyos.json", b"[{\"folio\": 1}]").await;
    assert_eq!(response.status(), 422);
    assert!(response.text().await.unwrap().contains("mismo formato"));

    // A JSON list of records is a resource of its own.
    let records: Vec<serde_json::Value> = (1..=30)
        .map(|i| serde_json::json!({"folio": i, "colonia": "Piletas", "monto": 500.5 + f64::from(i), "pagado": i % 2 == 0}))
        .collect();
    let json = serde_json::to_vec(&records).unwrap();
    let response = upload(&app, &add, "Apoyos (JSON)", "apoyos.json", &json).await;
    assert_eq!(response.status(), 303);
    let json_version = location(&response);
    assert!(app
        .get_text(&json_version)
        .await
        .contains("Válida, por aprobar"));

    // What cannot be read as a table is refused, naming the problem, and nothing is stored.
    for (name, bytes, message) in [
        ("lista.json", &br#"{"folio": 1}"#[..], "lista de registros"),
        ("numeros.json", b"[1, 2, 3]", "lista de registros"),
        (
            "roto.xlsx",
            b"folio,monto\n1,2\n",
            "No se pudo leer el libro de Excel",
        ),
    ] {
        let response = upload(&app, &add, name, name, bytes).await;
        assert_eq!(response.status(), 422, "{name}");
        let html = response.text().await.unwrap();
        assert!(html.contains(message), "{name}: {html}");
    }
    let manage = app.get_text(&dataset_page).await;
    assert!(
        !manage.contains("lista.json") && !manage.contains("roto.xlsx"),
        "{manage}"
    );

    // Approved, the original downloads as uploaded; the table as loaded.
    app.client = new_client();
    app.login(STAFF).await;
    for version in [&xlsx_version, &json_version] {
        let response = app.post_form(&format!("{version}/aprobar"), &[]).await;
        assert_eq!(response.status(), 303, "{version}");
    }
    let public = new_client();
    let html = app
        .public_text("/datos-abiertos/conjuntos/apoyos-en-excel")
        .await;
    let resources: Vec<String> = html
        .split("/datos-abiertos/recursos/")
        .skip(1)
        .filter_map(|s| s.split('/').next())
        .map(str::to_owned)
        .collect();
    let mut originals = Vec::new();
    for resource in resources.iter().collect::<std::collections::BTreeSet<_>>() {
        let response = public
            .get(app.url(&format!("/datos-abiertos/recursos/{resource}/original")))
            .send()
            .await
            .unwrap();
        let kind = response.headers()["content-type"]
            .to_str()
            .unwrap()
            .to_owned();
        originals.push((kind, response.bytes().await.unwrap().to_vec()));
    }
    assert!(originals
        .iter()
        .any(|(kind, bytes)| kind.contains("spreadsheetml") && *bytes == fixed));
    assert!(originals
        .iter()
        .any(|(kind, bytes)| kind.starts_with("application/json") && *bytes == json));
    let xlsx_resource = app
        .store
        .version(abierto_domain::ids::VersionId::new(
            xlsx_version.rsplit('/').next().unwrap().parse().unwrap(),
        ))
        .await
        .unwrap()
        .resource;
    let rows: serde_json::Value = public
        .get(app.url(&format!(
            "/datos-abiertos/recursos/{xlsx_resource}/datos.json"
        )))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), 120);
    assert_eq!(rows[0]["fecha"], "2026-02-02");
    assert_eq!(rows[0]["monto"], 1001);
}
