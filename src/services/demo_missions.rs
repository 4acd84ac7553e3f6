//! Missions for the demo: a quiz on the range and a survey on customers, published for
//! everyone, with some participants who passed, failed or answered. Everything goes
//! through the missions services, so the ledger holds what they would have written.
//! A second run adds nothing (missions are found by title).

use chrono::Utc;
use diesel::prelude::*;

use super::audit::Actor;
use super::missions::{self, AnswerInput, MissionError, MissionInput, QuestionInput};
use crate::db::missions as rows;
use crate::db::users;
use crate::domain::missions::MissionStatus;
use crate::domain::{MissionId, TenantId, Zone};

const QUIZ: &str = "Quiz : la gamme Respire";
const SURVEY: &str = "Vos clients et le déodorant";

/// (kind, prompt, required, options with the correct ones marked by `*`)
type Question = (&'static str, &'static str, bool, &'static [&'static str]);

const QUIZ_QUESTIONS: &[Question] = &[
    (
        "single",
        "Combien de temps protège le déodorant Respire Fraîcheur ?",
        true,
        &["12 heures", "*24 heures", "72 heures"],
    ),
    (
        "multiple",
        "Quels ingrédients trouve-t-on dans la gamme bio ?",
        true,
        &[
            "*Pierre d'alun",
            "Sels d'aluminium",
            "*Bicarbonate",
            "Alcool",
        ],
    ),
    (
        "single",
        "Quel format convient le mieux aux peaux sensibles ?",
        true,
        &["Spray", "*Baume", "Stick parfumé"],
    ),
];

const SURVEY_QUESTIONS: &[Question] = &[
    (
        "single",
        "Quel format vos clients demandent-ils le plus ?",
        true,
        &["Stick", "Spray", "Baume", "Solide"],
    ),
    (
        "multiple",
        "Qu'est-ce qui décide vos clients ?",
        true,
        &[
            "Le prix",
            "Les ingrédients",
            "Le parfum",
            "Le conseil en officine",
        ],
    ),
    (
        "rating",
        "Comment jugez-vous le nouveau présentoir ?",
        true,
        &[],
    ),
    (
        "long_text",
        "Que vous disent vos clients de la gamme ?",
        false,
        &[],
    ),
];

#[allow(clippy::too_many_arguments)]
fn create(
    conn: &mut PgConnection,
    tenant: TenantId,
    zone: Zone,
    actor: &Actor,
    title: &str,
    kind: &str,
    points: &str,
    questions: &[Question],
) -> Result<MissionId, MissionError> {
    let today = zone.today(Utc::now());
    let input = MissionInput {
        title: title.into(),
        description: match kind {
            "quiz" => {
                "Trois questions sur la gamme : 60 % de bonnes réponses pour gagner les points."
                    .into()
            }
            _ => "Cinq minutes pour nous dire ce que vos clients pensent de la gamme.".into(),
        },
        kind: kind.into(),
        points: points.into(),
        starts_on: (today - chrono::Duration::days(7)).to_string(),
        ends_on: (today + chrono::Duration::days(30)).to_string(),
        completion_limit: "once".into(),
        position: if kind == "quiz" { "1" } else { "2" }.into(),
        pass_mark: "60".into(),
        max_attempts: "3".into(),
        ..MissionInput::default()
    };
    let now = Utc::now();
    let mission = missions::save(conn, tenant, actor, zone, None, &input, now)?;
    for (qkind, prompt, required, options) in questions {
        let q = QuestionInput {
            kind: (*qkind).into(),
            prompt: (*prompt).into(),
            required: *required,
            options: options
                .iter()
                .map(|o| o.trim_start_matches('*').to_string())
                .collect(),
            correct: options
                .iter()
                .enumerate()
                .filter(|(_, o)| o.starts_with('*'))
                .map(|(i, _)| (i + 1).to_string())
                .collect(),
            form_token: String::new(),
        };
        missions::add_question(conn, tenant, actor, mission.id, &q, now)?;
    }
    missions::set_status(
        conn,
        tenant,
        actor,
        mission.id,
        MissionStatus::Published,
        now,
    )?;
    Ok(mission.id)
}

/// Answers: for each question, the options at these positions (1-based), or a text.
fn answers(
    conn: &mut PgConnection,
    tenant: TenantId,
    mission: MissionId,
    picks: &[&[usize]],
    text: &str,
) -> Result<AnswerInput, MissionError> {
    let questions = rows::questions(conn, tenant, mission)?;
    let options = rows::options(conn, tenant, mission)?;
    let mut pairs = vec![];
    for (q, pick) in questions.iter().zip(picks) {
        let mine: Vec<_> = options.iter().filter(|o| o.question_id == q.id).collect();
        let key = format!("q{}", q.id);
        match q.kind.as_str() {
            "rating" => pairs.push((key, pick.first().copied().unwrap_or(4).to_string())),
            "long_text" | "short_text" => pairs.push((key, text.to_string())),
            _ => {
                for p in pick.iter() {
                    if let Some(o) = mine.get(p.saturating_sub(1)) {
                        pairs.push((key.clone(), o.id.to_string()));
                    }
                }
            }
        }
    }
    Ok(AnswerInput { pairs })
}

pub fn seed(conn: &mut PgConnection, tenant: TenantId, zone: Zone) -> Result<(), MissionError> {
    if rows::find_by_title(conn, tenant, QUIZ)?.is_some() {
        return Ok(());
    }
    let actor = Actor::system("seed-demo");
    let quiz = create(
        conn,
        tenant,
        zone,
        &actor,
        QUIZ,
        "quiz",
        "150",
        QUIZ_QUESTIONS,
    )?;
    let survey = create(
        conn,
        tenant,
        zone,
        &actor,
        SURVEY,
        "survey",
        "50",
        SURVEY_QUESTIONS,
    )?;
    let now = Utc::now();
    let person = |conn: &mut PgConnection, email: &str| -> Result<_, MissionError> {
        users::find_by_email(conn, tenant, email)?.ok_or(MissionError::NotFound)
    };
    // Karim passes the quiz at once and answers the survey.
    let karim = person(conn, "karim.benali@parapharmacie-lumiere.example")?;
    let attempt = missions::start_quiz(conn, tenant, &karim, quiz, "", now, zone)?;
    let right = answers(conn, tenant, quiz, &[&[2], &[1, 3], &[2]], "")?;
    missions::submit_quiz(conn, tenant, &karim, quiz, attempt, &right, now)?;
    let said = answers(
        conn,
        tenant,
        survey,
        &[&[3], &[2, 4], &[5]],
        "Ils aiment que ce soit sans sels d'aluminium.",
    )?;
    missions::submit_survey(conn, tenant, &karim, survey, "", &said, now, zone)?;
    // Sophie fails once, then passes; her survey answers differ.
    let sophie = person(conn, "sophie.roux@pharmacie-des-alpes.example")?;
    let attempt = missions::start_quiz(conn, tenant, &sophie, quiz, "", now, zone)?;
    let wrong = answers(conn, tenant, quiz, &[&[1], &[2], &[2]], "")?;
    missions::submit_quiz(conn, tenant, &sophie, quiz, attempt, &wrong, now)?;
    let attempt = missions::start_quiz(conn, tenant, &sophie, quiz, "", now, zone)?;
    missions::submit_quiz(conn, tenant, &sophie, quiz, attempt, &right, now)?;
    let said = answers(conn, tenant, survey, &[&[1], &[1, 2], &[3]], "")?;
    missions::submit_survey(conn, tenant, &sophie, survey, "", &said, now, zone)?;
    Ok(())
}
