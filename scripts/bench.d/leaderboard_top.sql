-- The bare top 50 of a participant leaderboard by result, read in the order of the
-- index challenge_scores_result_idx (tenant_id, challenge_id, (-result), reached_at,
-- participant_id), with the names the page shows: the baseline of `scripts/bench
-- leaderboard`. Same columns as db::challenges::scores::top.
SELECT row_number() OVER () AS rank, t.*
FROM (SELECT s.participant_id AS id, u.display_name AS name, p.name AS partner, s.result,
             s.target, s.attainment, s.attainment / 100 AS percent, s.reached_at
      FROM challenge_scores s
      JOIN users u ON u.tenant_id = s.tenant_id AND u.id = s.participant_id
      JOIN partners p ON p.tenant_id = s.tenant_id AND p.id = s.partner_id
      WHERE s.tenant_id = :tenant AND s.challenge_id = :challenge
      ORDER BY (-s.result), s.reached_at, s.participant_id
      LIMIT 50) t;
