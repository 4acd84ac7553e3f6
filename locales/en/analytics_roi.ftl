# Sell-through and challenge results (studio analytics).
roi-sell-through-title = Sell-in vs sell-out
roi-sell-through-body = Sell-in against approved sell-out by week, partner and product, the stock they imply, and the partners whose sales slow down.
roi-sell-through-intro = Sell-in and approved sell-out (by date of sale) over the period. Implied stock and alerts are those of the stock page: opening stock plus all sell-in minus all approved sell-out up to the end of the period.
roi-product = Product
roi-all-partners = All partners
roi-week = Week of
roi-weeks-title = By week
roi-partners-title = By partner
roi-products-title = By product
roi-shown = The { $shown } largest of { $total } are shown; the CSV file has them all.
roi-slowing-title = Partners to animate
roi-slowing-rule = Partners whose approved sell-out over the { $recent } weeks to { $end } (from { $start }), as a weekly average, fell below their own weekly average of the { $trailing } weeks before.
roi-slowing-empty = No partner's sell-out fell below its own trailing average.
roi-recent = Last { $weeks } weeks
roi-trailing = { $weeks } weeks before
roi-pace = Weekly pace vs average
roi-draft-button = Start a draft challenge for { $count ->
    [one] this partner
   *[other] these { $count } partners
  }
roi-draft-segment = Partners to animate
roi-draft-title = Relaunch challenge
roi-draft-description = A challenge for the partners whose sell-out fell below their own average.
roi-draft-started = A draft challenge was created for the partners to animate, with a segment listing them. Set it up, then publish it.
roi-draft-nobody = There is no partner to animate under these filters any more: nothing was created.
roi-challenges-title = Challenge results
roi-challenges-body = Participation, attainment, incremental sell-out and points cost of every challenge.
roi-challenges-intro = Published challenges that started in the period, with what they brought against each participant's (or partner's) reference period and what their awards cost.
roi-started-from = Started from
roi-challenges-empty = No published challenge started in this period.
roi-distribution-title = Attainment distribution
roi-results-title = Results by challenge
roi-challenge = Challenge
roi-participation = Participation
roi-bucket-0-25 = 0–25 %
roi-bucket-25-50 = 25–50 %
roi-bucket-50-75 = 50–75 %
roi-bucket-75-100 = 75–100 %
roi-bucket-100-plus = ≥ 100 %
roi-result = Result
roi-reference = Reference
roi-incremental = Incremental
roi-target = Target
roi-points = Points awarded
roi-per-unit = Points per incremental unit
roi-per-unit-value = { $whole }.{ $cents }
roi-definitions = Participation: participants with a result above zero, of those enrolled. Attainment: result against target, by subject (participant, or partner in a partner challenge). Reference period: the growth target's; otherwise as many days as the challenge, just before it. Incremental: the result minus the same subjects' result over their reference period. Points awarded: the challenge's awards posted to the ledger (multiplier bonuses on declarations are not included). Points per incremental unit (per currency unit for revenue) only when the incremental is above zero.
roi-reference-period = Reference period { $start } – { $end } ({ $given ->
    [true] the growth target's
   *[other] as long as the challenge, just before it
  })
roi-open-challenge = Open the challenge
roi-subjects-participants = Participants
roi-subjects-partners = Partners
roi-partners-chart = Sell-out of the 10 largest partners
roi-attainment = Attainment
