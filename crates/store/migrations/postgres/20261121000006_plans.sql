-- The action plan (PAMGA): plans, commitments, goals with their indicators and readings,
-- the monthly schedule and the reports filed against it, evidence files, and the records of
-- the programs the indicators count. External ids let a CSV re-import update rows instead of
-- duplicating them.

CREATE TABLE plans (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    external_id TEXT UNIQUE,
    title TEXT NOT NULL,
    body_id BIGINT NOT NULL REFERENCES bodies (id),
    period_start TEXT NOT NULL,
    period_end TEXT NOT NULL,
    approved_in BIGINT REFERENCES sessions (id),
    CHECK (period_start <= period_end)
);

CREATE TABLE commitments (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    external_id TEXT UNIQUE,
    plan_id BIGINT NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    position BIGINT NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    unit_id BIGINT REFERENCES units (id),
    weight DOUBLE PRECISION CHECK (weight IS NULL OR (weight >= 0 AND weight <= 1))
);
CREATE INDEX commitments_plan ON commitments (plan_id, position);

CREATE TABLE goals (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    external_id TEXT UNIQUE,
    commitment_id BIGINT NOT NULL REFERENCES commitments (id) ON DELETE CASCADE,
    position BIGINT NOT NULL,
    statement TEXT NOT NULL,
    indicator TEXT NOT NULL DEFAULT '',
    kind TEXT NOT NULL CHECK (kind IN ('record_ratio', 'count', 'milestone', 'manual_percentage')),
    numerator TEXT,
    denominator TEXT,
    target DOUBLE PRECISION NOT NULL CHECK (target > 0),
    -- The span of records the indicator counts (e.g. the fiscal year).
    measured_from TEXT NOT NULL,
    measured_to TEXT NOT NULL,
    -- The execution window's first day when the plan sets one ("marzo - julio").
    window_start TEXT,
    due_on TEXT NOT NULL,
    CHECK (measured_from <= measured_to)
);
CREATE INDEX goals_commitment ON goals (commitment_id, position);

-- Files that back a goal's reading or a monthly report; content on disk under its SHA-256.
CREATE TABLE evidence (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    filename TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size_bytes BIGINT NOT NULL CHECK (size_bytes >= 0),
    sha256 TEXT NOT NULL,
    uploaded_at BIGINT NOT NULL
);

-- Readings typed by hand: a milestone met (value 100) or a manual percentage, each with the
-- note that accredits it and, when given, its document.
CREATE TABLE goal_readings (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    goal_id BIGINT NOT NULL REFERENCES goals (id) ON DELETE CASCADE,
    read_on TEXT NOT NULL,
    value DOUBLE PRECISION NOT NULL CHECK (value >= 0 AND value <= 100),
    note TEXT NOT NULL,
    evidence_id BIGINT REFERENCES evidence (id),
    recorded_at BIGINT NOT NULL
);
CREATE INDEX goal_readings_goal ON goal_readings (goal_id, read_on);

CREATE TABLE progress_notes (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    commitment_id BIGINT NOT NULL REFERENCES commitments (id) ON DELETE CASCADE,
    noted_on TEXT NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL DEFAULT ''
);

-- The session where a quarter's results were presented.
CREATE TABLE plan_presentations (
    plan_id BIGINT NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    quarter TEXT NOT NULL,
    session_id BIGINT NOT NULL REFERENCES sessions (id),
    PRIMARY KEY (plan_id, quarter)
);

-- Acciones para realizar: per commitment and month, a text and quantities of named measures.
CREATE TABLE schedule_entries (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    commitment_id BIGINT NOT NULL REFERENCES commitments (id) ON DELETE CASCADE,
    month TEXT NOT NULL,
    text TEXT NOT NULL DEFAULT '',
    CONSTRAINT schedule_entries_month_key UNIQUE (commitment_id, month)
);

CREATE TABLE planned_quantities (
    entry_id BIGINT NOT NULL REFERENCES schedule_entries (id) ON DELETE CASCADE,
    position BIGINT NOT NULL,
    measure TEXT NOT NULL,
    quantity BIGINT NOT NULL CHECK (quantity >= 0),
    PRIMARY KEY (entry_id, position)
);

-- Acciones realizadas: a reporting unit's draft, and the version the secretariat published.
CREATE TABLE monthly_reports (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    commitment_id BIGINT NOT NULL REFERENCES commitments (id) ON DELETE CASCADE,
    month TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('draft', 'published')),
    text TEXT NOT NULL DEFAULT '',
    updated_at BIGINT NOT NULL,
    updated_by BIGINT REFERENCES users (id),
    published_at BIGINT,
    CONSTRAINT monthly_reports_state_key UNIQUE (commitment_id, month, state)
);

CREATE TABLE report_lines (
    report_id BIGINT NOT NULL REFERENCES monthly_reports (id) ON DELETE CASCADE,
    position BIGINT NOT NULL,
    measure TEXT NOT NULL,
    quantity BIGINT NOT NULL CHECK (quantity >= 0),
    -- ISO dates separated by commas ("2024-07-13,2024-07-27").
    dates TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    -- The records measure that backs this figure, when there is one.
    source TEXT,
    PRIMARY KEY (report_id, position)
);

CREATE TABLE report_evidence (
    report_id BIGINT NOT NULL REFERENCES monthly_reports (id) ON DELETE CASCADE,
    evidence_id BIGINT NOT NULL REFERENCES evidence (id),
    description TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (report_id, evidence_id)
);

-- Mi Barrio Habla.
CREATE TABLE mbh_events (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    external_id TEXT UNIQUE,
    held_on TEXT NOT NULL,
    neighbourhood TEXT NOT NULL
);
CREATE INDEX mbh_events_held_on ON mbh_events (held_on);

CREATE TABLE agreements (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    external_id TEXT UNIQUE,
    event_id BIGINT REFERENCES mbh_events (id),
    description TEXT NOT NULL,
    unit_id BIGINT REFERENCES units (id),
    status TEXT NOT NULL CHECK (status IN ('open', 'concluded')),
    created_on TEXT NOT NULL,
    concluded_on TEXT,
    CHECK (concluded_on IS NULL OR concluded_on >= created_on)
);
CREATE INDEX agreements_created_on ON agreements (created_on);

-- Presupuesto Participativo: works and every dated change of stage.
CREATE TABLE works (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    external_id TEXT UNIQUE,
    name TEXT NOT NULL,
    neighbourhood TEXT NOT NULL DEFAULT ''
);

CREATE TABLE work_stages (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    work_id BIGINT NOT NULL REFERENCES works (id) ON DELETE CASCADE,
    stage TEXT NOT NULL CHECK (stage IN ('winner', 'executive_project', 'executive_project_done', 'budget_integration', 'contracted', 'in_execution', 'delivered')),
    changed_on TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX work_stages_work ON work_stages (work_id, changed_on);

-- Pregunta León: one row per intervention or advisory; no personal data of who asked.
CREATE TABLE inquiries (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('intervention', 'advisory')),
    channel TEXT CHECK (channel IS NULL OR channel IN ('citizen_wednesday', 'transparency_office', 'community')),
    held_on TEXT NOT NULL,
    place TEXT NOT NULL DEFAULT ''
);
CREATE INDEX inquiries_held_on ON inquiries (held_on);

CREATE TABLE outreach_activities (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('community_centre', 'school_talk', 'gerontological_centre', 'services_fair', 'civil_registry_campaign', 'other')),
    held_on TEXT NOT NULL,
    place TEXT NOT NULL,
    audience TEXT NOT NULL DEFAULT '',
    topics TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT ''
);
CREATE INDEX outreach_activities_held_on ON outreach_activities (held_on);

CREATE TABLE trainings (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    held_on TEXT NOT NULL,
    title TEXT NOT NULL,
    people_trained BIGINT NOT NULL CHECK (people_trained >= 0)
);

CREATE TABLE training_units (
    training_id BIGINT NOT NULL REFERENCES trainings (id) ON DELETE CASCADE,
    unit_id BIGINT NOT NULL REFERENCES units (id),
    PRIMARY KEY (training_id, unit_id)
);
