//! What the platform publishes about itself: each dataset's metadata and the columns of its
//! tables, with the Spanish names and titles the portal and the datastore show.

use abierto_tabular::{Field, FieldType, TableSchema};

/// A column of a published table.
pub struct Column {
    pub name: &'static str,
    pub field_type: FieldType,
    pub title: &'static str,
}

const fn column(name: &'static str, field_type: FieldType, title: &'static str) -> Column {
    Column {
        name,
        field_type,
        title,
    }
}

/// A table of a dataset: one resource, published as CSV.
pub struct TableDefinition {
    /// The resource's name in the catalog.
    pub name: &'static str,
    pub file_name: &'static str,
    pub description: &'static str,
    pub columns: &'static [Column],
    pub primary_key: &'static [&'static str],
}

impl TableDefinition {
    /// The Table Schema the generated file is checked against: every column typed and
    /// titled, the key columns required and together unique.
    pub fn schema(&self) -> TableSchema {
        let fields = self
            .columns
            .iter()
            .map(|c| {
                let mut field = Field::new(c.name, c.field_type);
                field.title = Some(c.title.to_owned());
                field.constraints.required = self.primary_key.contains(&c.name);
                field
            })
            .collect();
        let mut schema = TableSchema::new(fields);
        schema.primary_key = self.primary_key.iter().map(|k| (*k).to_owned()).collect();
        schema
    }
}

/// The records a dataset is generated from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Records {
    PlanGoals,
    Sessions,
    Agreements,
    Works,
    Calls,
}

/// A dataset the platform generates from its records.
pub struct DatasetDefinition {
    pub records: Records,
    /// Which records, as the dataset's `generated_from` keeps it.
    pub key: &'static str,
    pub slug: &'static str,
    pub title: &'static str,
    pub description: &'static str,
    pub keywords: &'static [&'static str],
    pub theme: &'static str,
    pub frequency: &'static str,
    pub tables: &'static [TableDefinition],
}

use FieldType::{Boolean, Date, Datetime, Integer, Number, String as Text};

pub const PLAN_GOALS: DatasetDefinition = DatasetDefinition {
    records: Records::PlanGoals,
    key: "plan_goals",
    slug: "metas-del-plan-de-accion",
    title: "Metas del Plan de Acción Municipal de Gobierno Abierto y su avance",
    description: "Cada meta de los planes de acción con su eje, su indicador calculado a partir \
        de los registros de los programas, su avance y su estatus al día de corte, y el avance \
        de cada meta al cierre de cada mes. Se actualiza cuando cambian los registros.",
    keywords: &["gobierno abierto", "plan de acción", "metas", "indicadores"],
    theme: "GOVE",
    frequency: "UPDATE_CONT",
    tables: &[
        TableDefinition {
            name: "Metas y su avance",
            file_name: "metas-del-plan-de-accion.csv",
            description: "Una fila por meta, leída al día de corte.",
            columns: &[
                column("meta_id", Integer, "Número de la meta en la plataforma"),
                column("plan", Text, "Plan de acción"),
                column("eje", Text, "Eje (compromiso)"),
                column("unidad_responsable", Text, "Unidad responsable del eje"),
                column("meta", Text, "Meta"),
                column("indicador", Text, "Indicador"),
                column("tipo_indicador", Text, "Tipo de indicador"),
                column("numerador", Number, "Registros contados o valor capturado"),
                column("denominador", Number, "Registros sobre los que se calcula"),
                column("valor", Number, "Valor del indicador"),
                column("valor_meta", Number, "Valor que cumple la meta"),
                column(
                    "fecha_cumplimiento",
                    Date,
                    "Fecha establecida de cumplimiento",
                ),
                column("avance_porcentaje", Number, "Avance (%)"),
                column("estatus", Text, "Estatus"),
                column("fecha_corte", Date, "Día de corte"),
            ],
            primary_key: &["meta_id"],
        },
        TableDefinition {
            name: "Avance mensual de las metas",
            file_name: "avance-mensual-de-las-metas.csv",
            description: "Una fila por meta y mes: el indicador al último día del mes.",
            columns: &[
                column("meta_id", Integer, "Número de la meta en la plataforma"),
                column("fecha", Date, "Último día del mes (o día de corte)"),
                column("valor", Number, "Valor del indicador"),
                column("avance_porcentaje", Number, "Avance (%)"),
            ],
            primary_key: &["meta_id", "fecha"],
        },
    ],
};

pub const SESSIONS: DatasetDefinition = DatasetDefinition {
    records: Records::Sessions,
    key: "sessions",
    slug: "sesiones-orden-del-dia-y-votaciones",
    title: "Sesiones, orden del día y votaciones de los órganos de gobierno abierto",
    description: "Las sesiones del Secretariado Técnico y de los demás órganos colegiados: \
        fecha, lugar, horario, asistencia y quórum; y cada punto del orden del día con el \
        resultado de su votación. Solo cifras: los nombres de las personas constan en las \
        actas publicadas.",
    keywords: &[
        "gobierno abierto",
        "sesiones",
        "orden del día",
        "votaciones",
        "quórum",
    ],
    theme: "GOVE",
    frequency: "UPDATE_CONT",
    tables: &[
        TableDefinition {
            name: "Sesiones",
            file_name: "sesiones.csv",
            description: "Una fila por sesión convocada o celebrada.",
            columns: &[
                column("sesion_id", Integer, "Número de la sesión en la plataforma"),
                column("organo", Text, "Órgano colegiado"),
                column("sesion", Text, "Sesión"),
                column("tipo", Text, "Tipo de sesión"),
                column("numero", Integer, "Número de la sesión en el año"),
                column("fecha", Date, "Fecha"),
                column("hora_convocada", Text, "Hora convocada"),
                column("lugar", Text, "Lugar"),
                column("hora_inicio", Text, "Hora de inicio"),
                column("hora_cierre", Text, "Hora de cierre"),
                column("asistentes", Integer, "Personas integrantes presentes"),
                column("quorum_presente", Integer, "Lugares con voto ocupados"),
                column("quorum_requerido", Integer, "Lugares con voto requeridos"),
                column("quorum_alcanzado", Boolean, "Hubo quórum"),
            ],
            primary_key: &["sesion_id"],
        },
        TableDefinition {
            name: "Orden del día y votaciones",
            file_name: "orden-del-dia-y-votaciones.csv",
            description: "Una fila por punto del orden del día, con su votación si la hubo.",
            columns: &[
                column("sesion_id", Integer, "Número de la sesión en la plataforma"),
                column("punto", Integer, "Punto del orden del día"),
                column("tipo", Text, "Tipo de punto"),
                column("asunto", Text, "Asunto"),
                column("votos_a_favor", Integer, "Votos a favor"),
                column("votos_en_contra", Integer, "Votos en contra"),
                column("abstenciones", Integer, "Abstenciones"),
                column("resultado", Text, "Resultado de la votación"),
            ],
            primary_key: &["sesion_id", "punto"],
        },
    ],
};

pub const AGREEMENTS: DatasetDefinition = DatasetDefinition {
    records: Records::Agreements,
    key: "agreements",
    slug: "acuerdos-mi-barrio-habla",
    title: "Acuerdos de mejora de Mi Barrio Habla y su atención",
    description: "Los acuerdos tomados con las y los vecinos en cada intervención de Mi Barrio \
        Habla, con la colonia, la unidad responsable, su estatus y la fecha en que se \
        concluyeron.",
    keywords: &[
        "mi barrio habla",
        "acuerdos",
        "colonias",
        "participación ciudadana",
    ],
    theme: "GOVE",
    frequency: "UPDATE_CONT",
    tables: &[TableDefinition {
        name: "Acuerdos",
        file_name: "acuerdos-mi-barrio-habla.csv",
        description: "Una fila por acuerdo.",
        columns: &[
            column("acuerdo_id", Integer, "Número del acuerdo en la plataforma"),
            column("fecha_intervencion", Date, "Fecha de la intervención"),
            column("colonia", Text, "Colonia"),
            column("acuerdo", Text, "Acuerdo"),
            column("unidad_responsable", Text, "Unidad responsable"),
            column("estatus", Text, "Estatus"),
            column("fecha_registro", Date, "Fecha del acuerdo"),
            column("fecha_conclusion", Date, "Fecha de conclusión"),
        ],
        primary_key: &["acuerdo_id"],
    }],
};

pub const WORKS: DatasetDefinition = DatasetDefinition {
    records: Records::Works,
    key: "works",
    slug: "obras-de-presupuesto-participativo",
    title: "Obras de Presupuesto Participativo y sus etapas",
    description: "Cada obra de Presupuesto Participativo con su colonia y la etapa en que está, \
        y cada cambio de etapa con su fecha y, cuando retrocede, el motivo.",
    keywords: &["presupuesto participativo", "obras", "colonias"],
    theme: "REGI",
    frequency: "UPDATE_CONT",
    tables: &[
        TableDefinition {
            name: "Obras",
            file_name: "obras-de-presupuesto-participativo.csv",
            description: "Una fila por obra, con su etapa actual.",
            columns: &[
                column("obra_id", Integer, "Número de la obra en la plataforma"),
                column("obra", Text, "Obra"),
                column("colonia", Text, "Colonia"),
                column("etapa", Text, "Etapa actual"),
                column("desde", Date, "En esta etapa desde"),
            ],
            primary_key: &["obra_id"],
        },
        TableDefinition {
            name: "Etapas de las obras",
            file_name: "etapas-de-las-obras.csv",
            description: "Una fila por cambio de etapa, del más antiguo al más reciente.",
            columns: &[
                column("obra_id", Integer, "Número de la obra en la plataforma"),
                column("orden", Integer, "Orden del cambio"),
                column("etapa", Text, "Etapa"),
                column("fecha", Date, "Fecha"),
                column("motivo", Text, "Motivo (al retroceder)"),
            ],
            primary_key: &["obra_id", "orden"],
        },
    ],
};

pub const CALLS: DatasetDefinition = DatasetDefinition {
    records: Records::Calls,
    key: "calls",
    slug: "convocatorias-y-sus-resultados",
    title: "Convocatorias de participación y sus resultados",
    description: "Las convocatorias públicas (ideas para el Banco de Acciones, Cabildo Abierto \
        Juvenil) con su periodo, su estatus y cuántas propuestas o postulaciones se recibieron, \
        se revisan, se aceptaron y no se aceptaron. Solo totales: nunca datos de quienes \
        participan.",
    keywords: &[
        "convocatorias",
        "banco de acciones",
        "participación ciudadana",
        "juventudes",
    ],
    theme: "GOVE",
    frequency: "UPDATE_CONT",
    tables: &[TableDefinition {
        name: "Convocatorias",
        file_name: "convocatorias-y-sus-resultados.csv",
        description: "Una fila por convocatoria publicada, con los totales de lo recibido.",
        columns: &[
            column(
                "convocatoria_id",
                Integer,
                "Número de la convocatoria en la plataforma",
            ),
            column("tipo", Text, "Tipo de convocatoria"),
            column("convocatoria", Text, "Convocatoria"),
            column("apertura", Datetime, "Apertura (UTC)"),
            column("cierre", Datetime, "Cierre (UTC)"),
            column("estatus", Text, "Estatus"),
            column("recibidas", Integer, "Propuestas o postulaciones recibidas"),
            column("en_revision", Integer, "Por decidir"),
            column("aceptadas", Integer, "Aceptadas"),
            column("no_aceptadas", Integer, "No aceptadas"),
        ],
        primary_key: &["convocatoria_id"],
    }],
};

/// Every dataset the platform publishes about itself.
pub const ALL: [&DatasetDefinition; 5] = [&PLAN_GOALS, &SESSIONS, &AGREEMENTS, &WORKS, &CALLS];
