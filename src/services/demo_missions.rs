//! Missions for the demo: a quiz on the range, a survey on customers, a shelf photo
//! mission (with its example photo) and a training video (a six-second WebM made for
//! the demo), published for everyone, with some participants who passed, failed,
//! answered, sent photos (one approved, one awaiting review) or watched the video.
//! Everything goes through the missions services and the storage service, so the
//! ledger holds what they would have written. A second run adds nothing (missions are
//! found by title).

use chrono::Utc;
use diesel::prelude::*;

use super::audit::Actor;
use super::missions::{
    self, media, photo, video, AnswerInput, MissionError, MissionInput, QuestionInput,
};
use super::storage::Storage;
use crate::db::missions as rows;
use crate::db::users;
use crate::domain::missions::MediaRole;
use crate::domain::missions::MissionStatus;
use crate::domain::{MissionId, TenantId, Zone};

const QUIZ: &str = "Quiz : la gamme Respire";
const SURVEY: &str = "Vos clients et le déodorant";
const PHOTO: &str = "Photo : votre rayon Respire";
const VIDEO: &str = "Vidéo : la mise en avant en 3 règles";

const DEMO_VIDEO: &[u8] = include_bytes!("demo_data/display-training.webm");
const DEMO_EXAMPLE: &[u8] = include_bytes!("demo_data/shelf-example.jpg");

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

/// A demo mission: its title, kind, points, questions and files.
#[derive(Clone, Copy)]
struct Spec {
    title: &'static str,
    kind: &'static str,
    points: &'static str,
    questions: &'static [Question],
    files: &'static [(MediaRole, &'static [u8])],
}

const SPECS: [Spec; 4] = [
    Spec {
        title: QUIZ,
        kind: "quiz",
        points: "150",
        questions: QUIZ_QUESTIONS,
        files: &[],
    },
    Spec {
        title: SURVEY,
        kind: "survey",
        points: "50",
        questions: SURVEY_QUESTIONS,
        files: &[],
    },
    Spec {
        title: PHOTO,
        kind: "photo",
        points: "200",
        questions: &[],
        files: &[(MediaRole::Example, DEMO_EXAMPLE)],
    },
    Spec {
        title: VIDEO,
        kind: "video",
        points: "80",
        questions: &[],
        files: &[(MediaRole::Video, DEMO_VIDEO)],
    },
];

fn create(
    conn: &mut PgConnection,
    tenant: TenantId,
    zone: Zone,
    actor: &Actor,
    spec: &Spec,
    storage: &Storage,
) -> Result<MissionId, MissionError> {
    let Spec {
        title,
        kind,
        points,
        questions,
        files,
    } = *spec;
    let today = zone.today(Utc::now());
    let input = MissionInput {
        title: title.into(),
        description: match kind {
            "quiz" => {
                "Trois questions sur la gamme : 60 % de bonnes réponses pour gagner les points."
                    .into()
            }
            "photo" => {
                "Montrez-nous votre rayon Respire : une photo de face, produits visibles.".into()
            }
            "video" => "Une minute pour revoir les trois règles d'une bonne mise en avant.".into(),
            _ => "Cinq minutes pour nous dire ce que vos clients pensent de la gamme.".into(),
        },
        kind: kind.into(),
        points: points.into(),
        starts_on: (today - chrono::Duration::days(7)).to_string(),
        ends_on: (today + chrono::Duration::days(30)).to_string(),
        completion_limit: "once".into(),
        position: match kind {
            "quiz" => "1",
            "photo" => "2",
            "video" => "3",
            _ => "4",
        }
        .into(),
        pass_mark: "60".into(),
        max_attempts: "3".into(),
        instructions: "Photographiez le rayon de face, à hauteur d'yeux, avec les prix visibles."
            .into(),
        photos_required: "1".into(),
        ..MissionInput::default()
    };
    let now = Utc::now();
    let mission = missions::save(conn, tenant, actor, zone, None, &input, now)?;
    for (role, bytes) in files {
        let file = media::check(*role, bytes.to_vec(), usize::MAX, usize::MAX)
            .map_err(|k| MissionError::field("file", k))?;
        let key = storage
            .put_blocking(tenant, file.extension, file.bytes.clone())
            .map_err(|e| MissionError::Other(e.into()))?;
        media::attach(conn, tenant, actor, mission.id, *role, &key, &file, None)?;
    }
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

pub fn seed(
    conn: &mut PgConnection,
    tenant: TenantId,
    zone: Zone,
    storage: &Storage,
) -> Result<(), MissionError> {
    // Each mission is created if missing (found by title); what participants did is
    // played only on the missions this run created.
    let actor = Actor::system("seed-demo");
    let mut made = Vec::with_capacity(SPECS.len());
    for spec in &SPECS {
        made.push(match rows::find_by_title(conn, tenant, spec.title)? {
            Some(_) => None,
            None => Some(create(conn, tenant, zone, &actor, spec, storage)?),
        });
    }
    if let [Some(quiz), Some(survey), ..] = made[..] {
        play_quiz_and_survey(conn, tenant, zone, quiz, survey)?;
    }
    if let [_, _, Some(shelf), Some(training)] = made[..] {
        play_photo_and_video(conn, tenant, zone, shelf, training)?;
    }
    Ok(())
}

fn person(
    conn: &mut PgConnection,
    tenant: TenantId,
    email: &str,
) -> Result<users::User, MissionError> {
    users::find_by_email(conn, tenant, email)?.ok_or(MissionError::NotFound)
}

fn play_photo_and_video(
    conn: &mut PgConnection,
    tenant: TenantId,
    zone: Zone,
    shelf: MissionId,
    training: MissionId,
) -> Result<(), MissionError> {
    let now = Utc::now();
    let shot = |name: &str| crate::services::declarations::proofs::ProofUpload {
        file_name: name.into(),
        bytes: DEMO_EXAMPLE.to_vec(),
    };
    // Sophie's photos were approved by the admin; Karim's await review.
    let sophie = person(conn, tenant, "sophie.roux@pharmacie-des-alpes.example")?;
    let sent = photo::submit_photos(
        conn,
        tenant,
        &sophie,
        shelf,
        "",
        vec![shot("rayon.jpg")],
        now,
        zone,
    )?;
    let admin = person(conn, tenant, super::demo::DEMO_USERS[0].email)?;
    photo::decide(conn, tenant, &admin, sent, &photo::Decision::Approve, now)?;
    let karim = person(conn, tenant, "karim.benali@parapharmacie-lumiere.example")?;
    photo::submit_photos(
        conn,
        tenant,
        &karim,
        shelf,
        "",
        vec![shot("mon-rayon.jpg")],
        now,
        zone,
    )?;
    // Karim watched the video to the end, ten minutes ago.
    let started = now - chrono::Duration::minutes(10);
    video::start_watch(conn, tenant, &karim, training, started, zone)?;
    video::report(conn, tenant, &karim, training, &[(0.0, 6.0)], now, zone)?;
    Ok(())
}

fn play_quiz_and_survey(
    conn: &mut PgConnection,
    tenant: TenantId,
    zone: Zone,
    quiz: MissionId,
    survey: MissionId,
) -> Result<(), MissionError> {
    let now = Utc::now();
    // Karim passes the quiz at once and answers the survey.
    let karim = person(conn, tenant, "karim.benali@parapharmacie-lumiere.example")?;
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
    let sophie = person(conn, tenant, "sophie.roux@pharmacie-des-alpes.example")?;
    let attempt = missions::start_quiz(conn, tenant, &sophie, quiz, "", now, zone)?;
    let wrong = answers(conn, tenant, quiz, &[&[1], &[2], &[2]], "")?;
    missions::submit_quiz(conn, tenant, &sophie, quiz, attempt, &wrong, now)?;
    let attempt = missions::start_quiz(conn, tenant, &sophie, quiz, "", now, zone)?;
    missions::submit_quiz(conn, tenant, &sophie, quiz, attempt, &right, now)?;
    let said = answers(conn, tenant, survey, &[&[1], &[1, 2], &[3]], "")?;
    missions::submit_survey(conn, tenant, &sophie, survey, "", &said, now, zone)?;
    Ok(())
}
