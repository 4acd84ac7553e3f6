//! What a mission brought back: eligible, started and completed participants, a
//! quiz's average score and its most failed questions, a survey's answers counted per
//! choice and rating, and every submission as a CSV file.

use std::collections::{BTreeMap, BTreeSet};

use diesel::prelude::*;
use serde::Serialize;

use super::MissionError;
use crate::db::missions::{self as rows, Answer, Attempt, Mission};
use crate::db::users::{self, User};
use crate::domain::missions::QuestionKind;
use crate::domain::values::spreadsheet_safe;
use crate::domain::{MissionId, PartnerId, QuestionId, Role, TenantId, UserId, Zone};
use crate::services::segments;

/// Text answers shown per question on the results page (all are in the CSV file).
const TEXTS_SHOWN: usize = 20;

#[derive(Debug, Serialize)]
pub struct ChoiceCount {
    pub label: String,
    pub count: usize,
    pub correct: bool,
}

#[derive(Debug, Serialize)]
pub struct QuestionResult {
    pub id: QuestionId,
    pub number: usize,
    pub kind: String,
    pub prompt: String,
    pub answered: usize,
    /// Quizzes: answers that were wrong.
    pub failed: usize,
    pub choices: Vec<ChoiceCount>,
    /// Ratings: how many gave 1, 2, 3, 4, 5.
    pub ratings: Vec<usize>,
    pub texts: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct Results {
    pub mission: Mission,
    pub eligible: usize,
    pub started: usize,
    pub completed: usize,
    /// Completed ÷ eligible, in whole percent.
    pub completion_rate: usize,
    pub submissions: usize,
    pub average_score: Option<i64>,
    pub questions: Vec<QuestionResult>,
    /// Quizzes: questions by failures, most failed first (never answered right by all).
    pub most_failed: Vec<(usize, String, usize, usize)>,
    /// Eligible, started and completed participants by region, then by partner.
    pub by_region: Vec<Breakdown>,
    pub by_partner: Vec<Breakdown>,
}

/// One line of the breakdown by region or partner.
#[derive(Debug, Default, Serialize)]
pub struct Breakdown {
    pub name: String,
    pub region: String,
    pub eligible: usize,
    pub started: usize,
    pub completed: usize,
    pub completion_rate: usize,
}

impl Breakdown {
    fn add(&mut self, started: bool, completed: bool) {
        self.eligible += 1;
        self.started += usize::from(started);
        self.completed += usize::from(completed);
        self.completion_rate = (self.completed * 100)
            .checked_div(self.eligible)
            .unwrap_or(0);
    }
}

/// The eligible participants counted by region and by partner (most eligible first).
fn breakdowns(
    conn: &mut PgConnection,
    tenant: TenantId,
    people: &[User],
    started: &BTreeSet<UserId>,
    completed: &BTreeSet<UserId>,
) -> Result<(Vec<Breakdown>, Vec<Breakdown>), MissionError> {
    let ids: Vec<PartnerId> = people
        .iter()
        .filter_map(|u| u.partner_id)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let partners: BTreeMap<PartnerId, (String, String)> =
        crate::db::partners::names_and_regions(conn, tenant, &ids)?
            .into_iter()
            .map(|(id, name, region)| (id, (name, region)))
            .collect();
    let mut regions: BTreeMap<String, Breakdown> = BTreeMap::new();
    let mut by_partner: BTreeMap<Option<PartnerId>, Breakdown> = BTreeMap::new();
    for u in people {
        let (name, region) = u
            .partner_id
            .and_then(|p| partners.get(&p).cloned())
            .unwrap_or_default();
        let (s, c) = (started.contains(&u.id), completed.contains(&u.id));
        let r = regions.entry(region.clone()).or_insert_with(|| Breakdown {
            name: region.clone(),
            region: region.clone(),
            ..Breakdown::default()
        });
        r.add(s, c);
        let p = by_partner.entry(u.partner_id).or_insert_with(|| Breakdown {
            name,
            region,
            ..Breakdown::default()
        });
        p.add(s, c);
    }
    let sorted = |m: Vec<Breakdown>| {
        let mut v = m;
        v.sort_by(|a, b| b.eligible.cmp(&a.eligible).then(a.name.cmp(&b.name)));
        v
    };
    Ok((
        sorted(regions.into_values().collect()),
        sorted(by_partner.into_values().collect()),
    ))
}

/// The participants who may do the mission.
fn eligible(
    conn: &mut PgConnection,
    tenant: TenantId,
    mission: MissionId,
) -> Result<Vec<User>, MissionError> {
    let participants = users::list(conn, tenant)?
        .into_iter()
        .filter(|u| u.role() == Role::Participant && !u.disabled);
    let wanted = rows::segments_of(conn, tenant, mission)?;
    if wanted.is_empty() {
        return Ok(participants.collect());
    }
    let mut partners: BTreeSet<PartnerId> = BTreeSet::new();
    for s in wanted {
        partners.extend(segments::partner_ids(conn, tenant, s)?);
    }
    Ok(participants
        .filter(|u| u.partner_id.is_some_and(|p| partners.contains(&p)))
        .collect())
}

fn submitted(attempts: Vec<Attempt>) -> Vec<Attempt> {
    attempts
        .into_iter()
        .filter(|a| a.submitted_at.is_some())
        .collect()
}

pub fn results(
    conn: &mut PgConnection,
    tenant: TenantId,
    id: MissionId,
) -> Result<Results, MissionError> {
    let mission = rows::find(conn, tenant, id)?;
    let people = eligible(conn, tenant, id)?;
    let eligible = people.len();
    let attempts = rows::attempts_at(conn, tenant, id)?;
    let started: BTreeSet<UserId> = attempts.iter().map(|a| a.participant_id).collect();
    let completed: BTreeSet<UserId> = rows::completions_at(conn, tenant, id)?
        .into_iter()
        .map(|c| c.participant_id)
        .collect();
    let done = submitted(attempts);
    let scores: Vec<i64> = done
        .iter()
        .filter_map(|a| a.score_percent)
        .map(i64::from)
        .collect();
    let average_score = (!scores.is_empty() && mission.kind != "survey")
        .then(|| scores.iter().sum::<i64>() / scores.len() as i64);
    let answers = rows::answers_at(conn, tenant, id)?;
    let options = rows::options(conn, tenant, id)?;
    let mut by_question: BTreeMap<QuestionId, Vec<&Answer>> = BTreeMap::new();
    for a in &answers {
        by_question.entry(a.question_id).or_default().push(a);
    }
    let questions: Vec<QuestionResult> = rows::questions(conn, tenant, id)?
        .into_iter()
        .enumerate()
        .map(|(i, q)| {
            let given = by_question.remove(&q.id).unwrap_or_default();
            let kind = QuestionKind::parse(&q.kind).unwrap_or(QuestionKind::ShortText);
            let choices = options
                .iter()
                .filter(|o| o.question_id == q.id)
                .map(|o| ChoiceCount {
                    label: o.label.clone(),
                    count: given
                        .iter()
                        .filter(|a| a.option_ids.contains(&Some(o.id)))
                        .count(),
                    correct: o.correct && mission.kind == "quiz",
                })
                .collect();
            let ratings = if kind == QuestionKind::Rating {
                (1..=5)
                    .map(|r| given.iter().filter(|a| a.rating == Some(r)).count())
                    .collect()
            } else {
                vec![]
            };
            let texts = given
                .iter()
                .rev()
                .filter_map(|a| a.text_value.clone())
                .take(TEXTS_SHOWN)
                .collect();
            QuestionResult {
                id: q.id,
                number: i + 1,
                kind: q.kind,
                prompt: q.prompt,
                answered: given.len(),
                failed: given.iter().filter(|a| a.correct == Some(false)).count(),
                choices,
                ratings,
                texts,
            }
        })
        .collect();
    let mut most_failed: Vec<(usize, String, usize, usize)> = questions
        .iter()
        .filter(|q| q.failed > 0)
        .map(|q| (q.number, q.prompt.clone(), q.failed, q.answered))
        .collect();
    most_failed.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.cmp(&b.0)));
    most_failed.truncate(5);
    let completion_rate = (completed.len() * 100).checked_div(eligible).unwrap_or(0);
    let (by_region, by_partner) = breakdowns(conn, tenant, &people, &started, &completed)?;
    Ok(Results {
        by_region,
        by_partner,
        mission,
        eligible,
        started: started.len(),
        completed: completed.len(),
        completion_rate,
        submissions: done.len(),
        average_score,
        questions,
        most_failed,
    })
}

/// Every submission (a survey's, or a quiz attempt scored): when (RFC 3339 in the
/// tenant's zone), who, the score, then one column per question. Cells typed by people
/// are made spreadsheet-safe.
pub fn export_csv(
    conn: &mut PgConnection,
    tenant: TenantId,
    id: MissionId,
    zone: Zone,
) -> Result<Vec<u8>, MissionError> {
    let mission = rows::find(conn, tenant, id)?;
    let questions = rows::questions(conn, tenant, id)?;
    let options = rows::options(conn, tenant, id)?;
    let people: BTreeMap<UserId, User> = users::list(conn, tenant)?
        .into_iter()
        .map(|u| (u.id, u))
        .collect();
    let answers = rows::answers_at(conn, tenant, id)?;
    let failed = |e: csv::Error| MissionError::Other(anyhow::anyhow!("writing the CSV: {e}"));
    let mut out = csv::Writer::from_writer(vec![0xEF, 0xBB, 0xBF]);
    let mut header: Vec<String> = ["submitted_at", "participant", "email"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    if mission.kind == "quiz" {
        header.push("score_percent".into());
        header.push("passed".into());
    }
    header.extend(questions.iter().map(|q| spreadsheet_safe(&q.prompt)));
    out.write_record(&header).map_err(failed)?;
    for a in submitted(rows::attempts_at(conn, tenant, id)?) {
        let who = people.get(&a.participant_id);
        let mut record = vec![
            a.submitted_at
                .map(|t| t.with_timezone(&zone.tz()).to_rfc3339())
                .unwrap_or_default(),
            who.map(|u| spreadsheet_safe(&u.display_name))
                .unwrap_or_default(),
            who.map(|u| u.email.clone()).unwrap_or_default(),
        ];
        if mission.kind == "quiz" {
            record.push(a.score_percent.map(|s| s.to_string()).unwrap_or_default());
            record.push(if a.passed == Some(true) { "yes" } else { "no" }.into());
        }
        for q in &questions {
            let answer = answers
                .iter()
                .find(|x| x.attempt_id == a.id && x.question_id == q.id);
            let cell = match answer {
                None => String::new(),
                Some(x) if !x.option_ids.is_empty() => options
                    .iter()
                    .filter(|o| x.option_ids.contains(&Some(o.id)))
                    .map(|o| o.label.as_str())
                    .collect::<Vec<_>>()
                    .join(" | "),
                Some(x) => x
                    .rating
                    .map(|r| r.to_string())
                    .or_else(|| x.text_value.clone())
                    .unwrap_or_default(),
            };
            record.push(spreadsheet_safe(&cell));
        }
        out.write_record(&record).map_err(failed)?;
    }
    out.into_inner()
        .map_err(|e| MissionError::Other(anyhow::anyhow!("writing the CSV: {e}")))
}
