CREATE OR REPLACE VIEW analytics.account_scores AS
SELECT vt_id AS `customer id`,
  CASE WHEN vt_note IS NULL THEN vt_p0 END AS churn_risk,
  CASE WHEN vt_note IS NULL THEN vt_health END AS health,
  CASE WHEN vt_note IS NOT NULL THEN NULL WHEN vt_health < 4.0000000000000000e+01 THEN 'red' WHEN vt_health < 7.0000000000000000e+01 THEN 'yellow' ELSE 'green' END AS bucket,
  vt_note AS vitals_note
FROM (
SELECT vt_id, vt_note, vt_p0,
  CAST(FLOOR(100 * (1 - vt_p0)) + CASE WHEN 100 * (1 - vt_p0) - FLOOR(100 * (1 - vt_p0)) >= 0.5 THEN 1 ELSE 0 END AS INT64) AS vt_health
FROM (
SELECT vt_id, vt_note,
  CASE WHEN vt_eta0 > 709 THEN 1 WHEN vt_eta0 >= 0 THEN 1 / (1 + EXP(-vt_eta0)) WHEN vt_eta0 > -7.4513321910194122e+02 THEN EXP(vt_eta0) / (1 + EXP(vt_eta0)) ELSE 0 END AS vt_p0
FROM (
SELECT vt_id,
  CASE WHEN vt_x0 IS NULL THEN 'not a number in Total day charge' WHEN vt_l1 IS NULL THEN 'unseen level of plan "tier"' WHEN vt_l2 IS NULL THEN 'unseen level of region' END AS vt_note,
  CASE vt_by
  WHEN 'north' THEN -4.1339408467154941e+00
    + 1.8660480308895724e-01 * vt_x0
    + CASE WHEN vt_m0 = 1 THEN 9.5728874547931844e-03 ELSE 0 END
    + CASE vt_l1 WHEN 1 THEN -3.0029878660774112e-01 WHEN 2 THEN 1.6760446054385605e+00 ELSE 0 END
  WHEN 'south' THEN -3.9895895126645806e+00
    + 9.9359163539276166e-02 * vt_x0
    + CASE WHEN vt_m0 = 1 THEN 4.5350695764605642e-01 ELSE 0 END
    + CASE vt_l1 WHEN 1 THEN 1.1824743110926991e-01 WHEN 2 THEN 1.7630755299043486e+00 ELSE 0 END
  ELSE -3.1256001262769662e+00
    + 1.3364019504518188e-01 * vt_x0
    + CASE WHEN vt_m0 = 1 THEN 4.2027673824132572e-01 ELSE 0 END
    + CASE vt_l1 WHEN 1 THEN -7.7001487986027059e-02 WHEN 2 THEN 1.6699647747410749e+00 ELSE 0 END
    + CASE vt_l2 WHEN 1 THEN -1.7730205012947364e+00 ELSE 0 END
  END AS vt_eta0
FROM (
SELECT vt_src.`customer id` AS vt_id,
  CASE WHEN vt_src.`Total day charge` IS NULL OR LTRIM(CAST(vt_src.`Total day charge` AS STRING), ' \x09') = '' OR LOWER(CAST(vt_src.`Total day charge` AS STRING)) IN ('na', 'nan', 'null') THEN 2.5077174657534211e+01 ELSE CASE WHEN REGEXP_CONTAINS(CAST(vt_src.`Total day charge` AS STRING), '^[ \x09]*[+-]?([0-9]+([.][0-9]*)?|[.][0-9]+)([eE][+-]?[0-9]+)?[ \x09]*$') THEN CASE WHEN CAST(vt_src.`Total day charge` AS FLOAT64) BETWEEN -1.7976931348623157e+308 AND 1.7976931348623157e+308 THEN CAST(vt_src.`Total day charge` AS FLOAT64) END END END AS vt_x0,
  CASE WHEN vt_src.`Total day charge` IS NULL OR LTRIM(CAST(vt_src.`Total day charge` AS STRING), ' \x09') = '' OR LOWER(CAST(vt_src.`Total day charge` AS STRING)) IN ('na', 'nan', 'null') THEN 1 ELSE 0 END AS vt_m0,
  CASE WHEN vt_src.`plan "tier"` IS NULL OR LTRIM(CAST(vt_src.`plan "tier"` AS STRING), ' \x09') = '' OR LOWER(CAST(vt_src.`plan "tier"` AS STRING)) IN ('na', 'nan', 'null') THEN -1 WHEN CAST(vt_src.`plan "tier"` AS STRING) = 'O\'Brien' THEN 0 WHEN CAST(vt_src.`plan "tier"` AS STRING) = 'back\\slash' THEN 1 WHEN CAST(vt_src.`plan "tier"` AS STRING) = 'plain' THEN 2 END AS vt_l1,
  CASE WHEN vt_src.`region` IS NULL OR LTRIM(CAST(vt_src.`region` AS STRING), ' \x09') = '' OR LOWER(CAST(vt_src.`region` AS STRING)) IN ('na', 'nan', 'null') THEN -1 WHEN CAST(vt_src.`region` AS STRING) = 'north' THEN 0 WHEN CAST(vt_src.`region` AS STRING) = 'south' THEN 1 END AS vt_l2,
  CAST(vt_src.`region` AS STRING) AS vt_by
FROM warehouse.accounts AS vt_src
) AS vt_encoded
) AS vt_eta
) AS vt_probability
) AS vt_scored;
