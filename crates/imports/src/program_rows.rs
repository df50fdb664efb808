//! The programs' records from CSV: Mi Barrio Habla's improvement agreements (saved by external
//! id, so a monthly re-import updates their status), and Presupuesto Participativo works' stage
//! changes (appended to each work's history, checked in order against what is stored and
//! against the file's earlier rows). A column left out of the file keeps what is stored.

use std::collections::HashMap;

use abierto_domain::programs::{check_agreement, check_stage_change, AgreementStatus, WorkStage};
use abierto_domain::ErrorCode;
use abierto_store::{ImportBatch, NewAgreement, Span, StageChangeRow, Store, StoreError};
use chrono::NaiveDate;

use crate::table::{Columns, Row};
use crate::{
    checked, date, drop_repeated_ids, or_stored, required_date, split, unit_cell, Checked,
    RowProblem,
};

pub const AGREEMENT_COLUMNS: Columns = Columns {
    required: &["external_id", "description", "status", "created_on"],
    optional: &["event", "unit", "concluded_on"],
};

pub const STAGE_COLUMNS: Columns = Columns {
    required: &["work", "stage", "changed_on"],
    optional: &["name", "neighbourhood", "reason"],
};

pub async fn agreements(store: &Store, rows: &[Row]) -> Result<Checked, StoreError> {
    // Dates are stored as ISO text, so the span stays within four-digit years.
    let every_day = Span {
        from: NaiveDate::from_ymd_opt(1, 1, 1).unwrap_or_default(),
        to: NaiveDate::from_ymd_opt(9999, 12, 31).unwrap_or_default(),
    };
    let events = store.events(every_day).await?;
    let units = store.units().await?;
    let stored = store.agreements(every_day).await?;
    let results = rows
        .iter()
        .map(|row| {
            let n = row.number;
            let kept = stored
                .iter()
                .find(|a| a.external_id.as_deref() == row.optional("external_id"));
            let result = (|| {
                let event = or_stored(row, "event", kept.map(|a| a.event), || {
                    row.optional("event")
                        .map(|wanted| {
                            events
                                .iter()
                                .find(|e| e.external_id.as_deref() == Some(wanted))
                                .map(|e| e.id)
                                .ok_or(RowProblem::at(n, "event", ErrorCode::UnknownEvent))
                        })
                        .transpose()
                })?;
                let kept_unit = kept.map(|a| {
                    a.unit_name
                        .as_deref()
                        .and_then(|name| {
                            abierto_domain::municipality::Unit::find_named(&units, name)
                        })
                        .map(|u| u.id)
                });
                let unit = or_stored(row, "unit", kept_unit, || unit_cell(row, &units))?;
                let status = AgreementStatus::parse(row.required("status")?)
                    .map_err(|e| RowProblem::at(n, "status", e.code()))?;
                let created_on = required_date(row, "created_on")?;
                let concluded_on =
                    or_stored(row, "concluded_on", kept.map(|a| a.concluded_on), || {
                        date(row, "concluded_on")
                    })?;
                check_agreement(status, created_on, concluded_on)
                    .map_err(|e| RowProblem::refused(n, &e))?;
                Ok(NewAgreement {
                    external_id: Some(row.required("external_id")?.to_owned()),
                    event,
                    description: row.required("description")?.to_owned(),
                    unit,
                    status,
                    created_on,
                    concluded_on,
                })
            })();
            (n, result)
        })
        .collect();
    let (good, mut problems) = split(results);
    let good = drop_repeated_ids(
        good,
        |a: &NewAgreement| a.external_id.as_deref().unwrap_or_default(),
        &mut problems,
    );
    Ok(checked(good, problems, ImportBatch::Agreements))
}

pub async fn stage_changes(store: &Store, rows: &[Row]) -> Result<Checked, StoreError> {
    // Each work's last stage, as stored and then as the file's accepted rows leave it.
    let mut last: HashMap<String, Option<(WorkStage, NaiveDate)>> = store
        .works()
        .await?
        .into_iter()
        .filter_map(|w| {
            let id = w.external_id?;
            Some((id, w.history.last().map(|(stage, on, _)| (*stage, *on))))
        })
        .collect();
    let mut results = Vec::with_capacity(rows.len());
    for row in rows {
        let result = stage_change(row, &last);
        if let Ok(change) = &result {
            last.insert(change.work.clone(), Some((change.stage, change.on)));
        }
        results.push((row.number, result));
    }
    let (good, problems) = split(results);
    Ok(checked(good, problems, ImportBatch::StageChanges))
}

fn stage_change(
    row: &Row,
    last: &HashMap<String, Option<(WorkStage, NaiveDate)>>,
) -> Result<StageChangeRow, RowProblem> {
    let n = row.number;
    let work = row.required("work")?;
    let name = row.optional("name").map(str::to_owned);
    let known = last.get(work);
    if known.is_none() && name.is_none() {
        return Err(RowProblem::at(n, "work", ErrorCode::UnknownWork));
    }
    let stage = WorkStage::parse(row.required("stage")?)
        .map_err(|e| RowProblem::at(n, "stage", e.code()))?;
    let on = required_date(row, "changed_on")?;
    let reason = row.get("reason").to_owned();
    check_stage_change(known.copied().flatten(), stage, on, &reason)
        .map_err(|e| RowProblem::refused(n, &e))?;
    Ok(StageChangeRow {
        work: work.to_owned(),
        name,
        neighbourhood: row.get("neighbourhood").to_owned(),
        stage,
        on,
        reason,
    })
}
