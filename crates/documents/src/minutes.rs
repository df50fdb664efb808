//! The acta of a session, written from its record in the order and prose of the secretariat's
//! minutes: title, proemio, ORDEN DEL DÍA, the members who join, one paragraph per item, the
//! closing, "Se levanta acta para constancia." and the hoja de firmas.

use abierto_domain::dates::long_date_es;
use abierto_domain::sessions::{AgendaItemKind, MotionOutcome, VoteCount, VoteOutcome};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::prose::{article, contract, with_article};

/// A person as the minutes name them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Named {
    /// With honorific, as written: "Mtra. María de Luz Hernández Martínez".
    pub name: String,
    pub feminine: bool,
}

impl Named {
    /// "la Mtra. María…", "el Lic. Osbaldo…".
    fn with_article(&self) -> String {
        format!("{} {}", article(self.feminine), self.name)
    }
}

/// Someone present who holds a cargo: named in the proemio and on the hoja de firmas.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Official {
    pub person: Named,
    /// "Directora de Presupuesto Participativo y Delegaciones", or for the presidency's
    /// representative "Titular de la Unidad de Transparencia y representante de la Presidencia del …".
    pub cargo: String,
}

/// A member who joins the body at this session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Joining {
    pub official: Official,
    /// The articles that ground the seat ("artículos 4 fracción II y 5 párrafo tercero").
    pub grounds: String,
    /// The titular this member substitutes, if a substitute.
    pub substitute_for: Option<Official>,
}

/// The vote under an item, as reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VoteLine {
    pub outcome: VoteOutcome,
    pub count: Option<VoteCount>,
    /// Whether the facilitator reported it (the usual formula); otherwise it is impersonal.
    pub by_facilitator: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MotionLine {
    /// What the motion proposes, after "presenta moción para".
    pub text: String,
    pub outcome: MotionOutcome,
    /// Who raised it, when not the item's presenter: "la C. Alma Delia López Orozco".
    pub proposer: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// "I", "II"…
    pub numeral: String,
    pub kind: AgendaItemKind,
    /// As in the ORDEN DEL DÍA.
    pub title: String,
    /// "la Titular de la Unidad de Transparencia".
    pub presenter: Option<String>,
    /// What was presented or reported, in the minutes' words ("el quinto informe de…").
    pub narrative: String,
    pub vote: Option<VoteLine>,
    pub motions: Vec<MotionLine>,
    /// "propuesta de modificación": written "– Se anexa propuesta de modificación –".
    pub annex_note: String,
    /// For a minutes approval: "Acta de la 3ª Sesión Ordinaria de fecha 3 de octubre de 2024".
    pub minutes_title: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Signature {
    pub name: String,
    pub role: String,
}

/// Everything the acta says, already resolved from the session's record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MinutesInput {
    /// "Secretariado Técnico Municipal de Gobierno Abierto para León, Guanajuato 2022-2024".
    pub body_name: String,
    /// "3ª Sesión Extraordinaria".
    pub session_title: String,
    pub legal_basis: String,
    pub place: String,
    pub date: NaiveDate,
    pub started_at: Option<String>,
    pub ended_at: Option<String>,
    /// Citizen members present, in the order of the attendance list.
    pub citizens: Vec<Named>,
    /// Public servants present, in the order of the attendance list.
    pub officials: Vec<Official>,
    pub facilitator: Option<Named>,
    /// Whether quorum was reached, when attendance was recorded.
    pub quorum_reached: Option<bool>,
    pub joined: Vec<Joining>,
    pub items: Vec<Item>,
    pub signatures: Vec<Signature>,
    /// "4ª Sesión Ordinaria del 13 de diciembre de 2024", once approved.
    pub approved_in: Option<String>,
}

/// A piece of the acta.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", content = "content", rename_all = "snake_case")]
pub enum Block {
    Title(String),
    Heading(String),
    Paragraph(String),
    /// The ORDEN DEL DÍA, one line per item ("I. Lista de asistencia…;").
    Agenda(Vec<String>),
    Signatures(Vec<Signature>),
    /// The closing note of the hoja de firmas.
    Note(String),
}

pub fn compose(input: &MinutesInput) -> Vec<Block> {
    let body = &input.body_name;
    let mut blocks = vec![Block::Title(
        format!("ACTA DE LA {} DEL {}", input.session_title, body).to_uppercase(),
    )];
    blocks.push(Block::Paragraph(proemio(input)));
    blocks.push(Block::Heading("ORDEN DEL DÍA".to_owned()));
    let last = input.items.len();
    blocks.push(Block::Agenda(
        input
            .items
            .iter()
            .enumerate()
            .map(|(i, item)| {
                format!(
                    "{}. {}{}",
                    item.numeral,
                    item.title,
                    if i + 1 == last { "." } else { ";" }
                )
            })
            .collect(),
    ));
    blocks.extend(joining_paragraphs(input).into_iter().map(Block::Paragraph));
    for item in &input.items {
        blocks.push(Block::Paragraph(item_paragraph(input, item)));
    }
    blocks.push(Block::Paragraph(
        "Se levanta acta para constancia.".to_owned(),
    ));
    blocks.push(Block::Heading("HOJA DE FIRMAS".to_owned()));
    blocks.push(Block::Signatures(input.signatures.clone()));
    let approval = match &input.approved_in {
        Some(session) => format!("aprobada en la {session}"),
        None => "pendiente de aprobación".to_owned(),
    };
    blocks.push(Block::Note(format!(
        "La presente hoja de firmas forma parte integral del Acta de la {} del {}; {}.",
        input.session_title, body, approval
    )));
    blocks
}

fn proemio(input: &MinutesInput) -> String {
    let basis = if input.legal_basis.is_empty() {
        format!(
            "Con fundamento en los Lineamientos para el Funcionamiento del {}.",
            input.body_name
        )
    } else {
        format!(
            "Con fundamento en lo establecido en {} de los Lineamientos para el Funcionamiento del {}.",
            with_article(&input.legal_basis),
            input.body_name
        )
    };
    let place = if input.place.is_empty() {
        String::new()
    } else {
        format!("En la {}, ", input.place)
    };
    let time = match &input.started_at {
        Some(time) => format!(
            "siendo las {time} horas del día {}",
            long_date_es(input.date)
        ),
        None => format!("el día {}", long_date_es(input.date)),
    };
    let mut present = Vec::new();
    if !input.citizens.is_empty() {
        let names: Vec<&str> = input.citizens.iter().map(|c| c.name.as_str()).collect();
        present.push(format!(
            "los CC. {}, todas personas integrantes ciudadanas",
            names.join(", ")
        ));
    }
    if !input.officials.is_empty() {
        let officials: Vec<String> = input
            .officials
            .iter()
            .map(|o| format!("{}, {}", o.person.name, o.cargo))
            .collect();
        present.push(format!(
            "así como de las personas servidoras públicas {}",
            officials.join(", ")
        ));
    }
    if let Some(facilitator) = &input.facilitator {
        present.push(format!(
            "así como {}, Persona Facilitadora",
            facilitator.with_article()
        ));
    }
    let attendance = if present.is_empty() {
        "sin que conste la lista de asistencia".to_owned()
    } else {
        format!("estando presentes {}", present.join("; "))
    };
    format!("{basis} {place}{time} y {attendance}.")
}

fn official_phrase(official: &Official) -> String {
    format!("{}, {}", official.person.with_article(), official.cargo)
}

/// The members who join at this session: those sharing the first grounds in one paragraph,
/// each other ground in a paragraph of its own.
fn joining_paragraphs(input: &MinutesInput) -> Vec<String> {
    let mut groups: Vec<(&str, Vec<&Joining>)> = Vec::new();
    for joining in &input.joined {
        match groups
            .iter_mut()
            .find(|(grounds, _)| *grounds == joining.grounds)
        {
            Some((_, members)) => members.push(joining),
            None => groups.push((&joining.grounds, vec![joining])),
        }
    }
    let lineamientos = format!(
        "de los Lineamientos para el Funcionamiento del {}",
        input.body_name
    );
    groups
        .iter()
        .enumerate()
        .map(|(index, (grounds, members))| {
            let joined: Vec<String> = members
                .iter()
                .map(|j| match &j.substitute_for {
                    Some(titular) => format!(
                        "{}, como suplente {}",
                        official_phrase(&j.official),
                        contract("de", &official_phrase(titular))
                    ),
                    None => official_phrase(&j.official),
                })
                .collect();
            let grounds = with_article(grounds);
            if index == 0 {
                format!(
                    "Previo al desahogo de los puntos previstos en el orden del día, se informa al Pleno que en \
                     términos de lo establecido en {grounds} {lineamientos}, se integra a este órgano colegiado {}.",
                    joined.join("; igualmente ")
                )
            } else {
                format!("Asimismo, se integra al Secretariado {}, según lo establecido en {grounds} {lineamientos}.", joined.join("; igualmente "))
            }
        })
        .collect()
}

fn outcome_phrase(vote: &VoteLine) -> String {
    let result = match vote.outcome {
        VoteOutcome::ApprovedUnanimously => "siendo aceptada y aprobada por unanimidad",
        VoteOutcome::ApprovedByMajority => "siendo aprobada por mayoría",
        VoteOutcome::Approved => "siendo aprobada",
        VoteOutcome::Rejected => "no siendo aprobada",
    };
    let count = match vote.count {
        Some(c) => format!(
            " ({} votos a favor, {} en contra y {} abstenciones)",
            c.in_favour, c.against, c.abstentions
        ),
        None => String::new(),
    };
    let reporter = if vote.by_facilitator {
        "la Persona Facilitadora da cuenta del resultado"
    } else {
        "se da cuenta del resultado"
    };
    format!("{reporter}, {result}{count}")
}

fn item_paragraph(input: &MinutesInput, item: &Item) -> String {
    let who = item
        .presenter
        .clone()
        .unwrap_or_else(|| "la Presidencia".to_owned());
    let lead = format!("Como punto {}, {who},", item.numeral);
    let vote = item.vote.as_ref().map(outcome_phrase);
    let vote_clause = vote.as_ref().map(|v| format!("; {v}")).unwrap_or_default();
    let subject = if item.narrative.is_empty() {
        item.title.clone()
    } else {
        item.narrative.clone()
    };
    let mut text = match item.kind {
        AgendaItemKind::AttendanceQuorum => {
            let quorum = match input.quorum_reached {
                Some(true) => "Una vez tomada asistencia se declara *quórum* legal y se procede al siguiente punto del Orden del día.",
                Some(false) => "Una vez tomada asistencia se hace constar que no existe *quórum* legal.",
                None => "No consta la lista de asistencia.",
            };
            format!(
                "Para el desahogo de los asuntos programados en el Orden del día, en su punto {}, {who}, toma \
                 asistencia de los ciudadanos y de las personas servidoras públicas integrantes. {quorum}",
                item.numeral
            )
        }
        AgendaItemKind::AgendaApproval => {
            let reader = match &input.facilitator {
                Some(f) => format!("instruye a {}, Persona Facilitadora, de lectura a", f.with_article()),
                None => "da lectura a".to_owned(),
            };
            format!(
                "{lead} {reader} la propuesta del Orden del día; terminada su intervención, se somete a votación \
                 ante el Pleno para su aprobación{vote_clause}."
            )
        }
        AgendaItemKind::MinutesApproval => {
            let minutes = item.minutes_title.clone().unwrap_or_else(|| item.title.clone());
            format!(
                "{lead} señala la obvia lectura del {minutes} y no habiendo comentarios al respecto, se somete a \
                 consideración del Pleno su aprobación{vote_clause}."
            )
        }
        AgendaItemKind::Proposal => format!(
            "{lead} presenta {subject} y no habiendo comentarios al respecto, se somete ante el Pleno mediante \
             votación su aprobación{vote_clause}."
        ),
        AgendaItemKind::Report => format!("{lead} presenta y da lectura {}{vote_clause}.", contract("a", &subject)),
        AgendaItemKind::Results => format!("{lead} da cuenta {}{vote_clause}.", contract("de", &subject)),
        AgendaItemKind::GeneralMatters => {
            let matters = if item.narrative.is_empty() { "no se registraron asuntos generales".to_owned() } else { item.narrative.clone() };
            format!("Como punto {}, en asuntos generales, {matters}{vote_clause}.", item.numeral)
        }
        AgendaItemKind::Closing => {
            let end = match &input.ended_at {
                Some(time) => format!(", siendo las {time} horas del día señalado en el proemio"),
                None => String::new(),
            };
            format!(
                "Habiéndose agotado los puntos a tratar en el Orden del día, se da por finalizada la {} del {}{end}.",
                input.session_title, input.body_name
            )
        }
    };
    for motion in &item.motions {
        // The motion joins the item's sentence: "…; así mismo, presenta moción para …".
        if text.ends_with('.') {
            text.pop();
        }
        let raiser = motion
            .proposer
            .as_ref()
            .map(|p| format!(" {p}"))
            .unwrap_or_default();
        let fate = match motion.outcome {
            MotionOutcome::Accepted => "Moción que es aceptada por integrantes del Secretariado.",
            MotionOutcome::Rejected => {
                "Moción que no es aceptada por integrantes del Secretariado."
            }
        };
        text.push_str(&format!(
            ";{raiser} así mismo, presenta moción para {}. {fate}",
            motion.text
        ));
    }
    if !item.annex_note.is_empty() {
        text.push_str(&format!(" – Se anexa {} –", item.annex_note));
    }
    text
}

/// The acta as Markdown.
pub fn to_markdown(blocks: &[Block]) -> String {
    let mut out = String::new();
    for block in blocks {
        match block {
            Block::Title(text) => out.push_str(&format!("# {text}\n\n")),
            Block::Heading(text) => out.push_str(&format!("## {text}\n\n")),
            Block::Paragraph(text) | Block::Note(text) => out.push_str(&format!("{text}\n\n")),
            Block::Agenda(lines) => {
                for line in lines {
                    out.push_str(&format!("- {line}\n"));
                }
                out.push('\n');
            }
            Block::Signatures(signatures) => {
                for s in signatures {
                    out.push_str(&format!(
                        "{}.  \n{}.\n\n",
                        s.name.trim_end_matches('.'),
                        s.role.trim_end_matches('.')
                    ));
                }
            }
        }
    }
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn named(name: &str, feminine: bool) -> Named {
        Named {
            name: name.to_owned(),
            feminine,
        }
    }

    fn item(numeral: &str, kind: AgendaItemKind, title: &str) -> Item {
        Item {
            numeral: numeral.to_owned(),
            kind,
            title: title.to_owned(),
            presenter: Some("la Titular de la Unidad de Transparencia".to_owned()),
            narrative: String::new(),
            vote: None,
            motions: Vec::new(),
            annex_note: String::new(),
            minutes_title: None,
        }
    }

    fn input() -> MinutesInput {
        MinutesInput {
            body_name: "Secretariado Técnico".to_owned(),
            session_title: "3ª Sesión Extraordinaria".to_owned(),
            legal_basis: "artículos 7 párrafo segundo y 8 párrafo quinto".to_owned(),
            place: "sala de juntas".to_owned(),
            date: NaiveDate::from_ymd_opt(2024, 9, 13).unwrap_or_default(),
            started_at: Some("13:14".to_owned()),
            ended_at: Some("13:46".to_owned()),
            citizens: vec![
                named("Alma Delia López Orozco", true),
                named("Abraham Gallegos Macías", false),
            ],
            officials: vec![Official {
                person: named("Lic. Osbaldo Huerta Bermejo", false),
                cargo: "Director de Contraloría Social".to_owned(),
            }],
            facilitator: Some(named("Lic. Liliana Álvarez León", true)),
            quorum_reached: Some(true),
            joined: Vec::new(),
            items: vec![
                item("I", AgendaItemKind::AttendanceQuorum, "Lista de asistencia"),
                Item {
                    vote: Some(VoteLine {
                        outcome: VoteOutcome::ApprovedUnanimously,
                        count: None,
                        by_facilitator: true,
                    }),
                    ..item(
                        "II",
                        AgendaItemKind::AgendaApproval,
                        "Aprobación del orden del día",
                    )
                },
                Item {
                    narrative: "el quinto informe".to_owned(),
                    motions: vec![MotionLine {
                        text: "realizar una mesa de trabajo".to_owned(),
                        outcome: MotionOutcome::Accepted,
                        proposer: None,
                    }],
                    annex_note: "informe de actividades".to_owned(),
                    ..item("III", AgendaItemKind::Report, "Informe")
                },
                item("IV", AgendaItemKind::Closing, "Cierre"),
            ],
            signatures: vec![Signature {
                name: "C. Alma Delia López Orozco".to_owned(),
                role: "Integrante Ciudadana".to_owned(),
            }],
            approved_in: None,
        }
    }

    #[test]
    fn writes_the_proemio_with_those_present() {
        let blocks = compose(&input());
        assert_eq!(
            blocks[0],
            Block::Title("ACTA DE LA 3ª SESIÓN EXTRAORDINARIA DEL SECRETARIADO TÉCNICO".to_owned())
        );
        let Block::Paragraph(proemio) = &blocks[1] else {
            panic!("proemio expected")
        };
        assert!(proemio
            .starts_with("Con fundamento en lo establecido en los artículos 7 párrafo segundo"));
        assert!(proemio.contains("siendo las 13:14 horas del día 13 de septiembre de 2024"));
        assert!(proemio.contains("los CC. Alma Delia López Orozco, Abraham Gallegos Macías, todas personas integrantes ciudadanas"));
        assert!(proemio.contains("Lic. Osbaldo Huerta Bermejo, Director de Contraloría Social"));
        assert!(proemio.ends_with("así como la Lic. Liliana Álvarez León, Persona Facilitadora."));
    }

    #[test]
    fn writes_one_paragraph_per_item_in_the_official_formulas() {
        let markdown = to_markdown(&compose(&input()));
        assert!(markdown.contains("- I. Lista de asistencia;\n- II. Aprobación del orden del día;"));
        assert!(markdown.contains("- IV. Cierre.\n"));
        assert!(markdown
            .contains("en su punto I, la Titular de la Unidad de Transparencia, toma asistencia"));
        assert!(markdown.contains("se declara *quórum* legal"));
        assert!(markdown.contains(
            "Como punto II, la Titular de la Unidad de Transparencia, instruye a la Lic. Liliana Álvarez León, Persona Facilitadora,"
        ));
        assert!(markdown.contains("la Persona Facilitadora da cuenta del resultado, siendo aceptada y aprobada por unanimidad."));
        assert!(markdown.contains(
            "presenta y da lectura al quinto informe; así mismo, presenta moción para realizar una mesa de trabajo. Moción que es aceptada por integrantes del Secretariado. – Se anexa informe de actividades –"
        ));
        assert!(markdown.contains("se da por finalizada la 3ª Sesión Extraordinaria del Secretariado Técnico, siendo las 13:46 horas"));
        assert!(markdown.contains("Se levanta acta para constancia."));
        assert!(markdown.contains("C. Alma Delia López Orozco.  \nIntegrante Ciudadana."));
        assert!(markdown.trim_end().ends_with("pendiente de aprobación."));
    }

    #[test]
    fn states_the_absence_of_quorum_and_counted_results() {
        let mut input = input();
        input.quorum_reached = Some(false);
        input.items[1].vote = VoteCount::new(5, 3, 1).ok().map(|c| VoteLine {
            outcome: c.outcome(),
            count: Some(c),
            by_facilitator: false,
        });
        input.approved_in = Some("4ª Sesión Ordinaria del 13 de diciembre de 2024".to_owned());
        let markdown = to_markdown(&compose(&input));
        assert!(markdown.contains("no existe *quórum* legal"));
        assert!(markdown.contains("se da cuenta del resultado, siendo aprobada por mayoría (5 votos a favor, 3 en contra y 1 abstenciones)"));
        assert!(
            markdown.contains("; aprobada en la 4ª Sesión Ordinaria del 13 de diciembre de 2024.")
        );
    }

    #[test]
    fn names_new_members_and_their_titulars() {
        let mut input = input();
        let official = |name: &str, feminine, cargo: &str| Official {
            person: named(name, feminine),
            cargo: cargo.to_owned(),
        };
        input.joined = vec![
            Joining {
                official: official(
                    "Lic. Enrique Arturo Avilés Pérez",
                    false,
                    "Director General de Comunicación Social",
                ),
                grounds: "artículos 4 fracción II y 5 párrafo tercero".to_owned(),
                substitute_for: None,
            },
            Joining {
                official: official(
                    "Mtra. María de la Luz Hernández Martínez",
                    true,
                    "Directora de Presupuesto Participativo y Delegaciones",
                ),
                grounds: "artículos 4 fracción II y 5 párrafo tercero".to_owned(),
                substitute_for: Some(official(
                    "Lic. Allan Michel León Aguirre",
                    false,
                    "Secretario de Vinculación y Atención de los Leoneses",
                )),
            },
            Joining {
                official: official(
                    "Lic. Luz Araceli Andrade Cifuentes",
                    true,
                    "Titular de la Unidad de Transparencia",
                ),
                grounds: "artículo 4 fracción I".to_owned(),
                substitute_for: None,
            },
        ];
        let markdown = to_markdown(&compose(&input));
        assert!(markdown.contains(
            "en términos de lo establecido en los artículos 4 fracción II y 5 párrafo tercero de los Lineamientos para el Funcionamiento del Secretariado Técnico, se integra a este órgano colegiado el Lic. Enrique Arturo Avilés Pérez, Director General de Comunicación Social; igualmente la Mtra. María de la Luz Hernández Martínez, Directora de Presupuesto Participativo y Delegaciones, como suplente del Lic. Allan Michel León Aguirre, Secretario de Vinculación y Atención de los Leoneses."
        ));
        assert!(markdown.contains(
            "Asimismo, se integra al Secretariado la Lic. Luz Araceli Andrade Cifuentes, Titular de la Unidad de Transparencia, según lo establecido en el artículo 4 fracción I"
        ));
    }
}
