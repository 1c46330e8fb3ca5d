package pbjson

// computeRequest is bench/requests.go's computeRequest: examples/capacity.yaml
// as REST JSON.
const computeRequest = `{
 "csmTime": {"weeklyHours": 40, "timeOffDaysPerYear": 25, "targetUtilization": 0.9,
  "internalActivities": [
   {"name": "Team meetings", "hoursPerMonth": 12},
   {"name": "Email and Slack catch-up", "hoursPerMonth": 20},
   {"name": "1:1s and enablement", "hoursPerMonth": 8},
   {"name": "Internal projects", "hoursPerMonth": 10}]},
 "segments": [
  {"name": "Enterprise", "accounts": 45, "arr": 5400000, "newAccountsPerMonth": 1,
   "playbook": {
    "touchpoints": [
     {"name": "Weekly check-in", "hours": 1, "cadence": "CADENCE_WEEKLY"},
     {"name": "Executive business review", "hours": 8, "cadence": "CADENCE_QUARTERLY"},
     {"name": "Success plan refresh", "hours": 4, "cadence": "CADENCE_SEMIANNUAL"},
     {"name": "Onboarding programme", "hours": 30, "cadence": "CADENCE_ONE_TIME"}],
    "inbound": [{"name": "Escalations", "perAccountPerMonth": 1.5, "hours": 1.5}]}},
  {"name": "Mid-Market", "accounts": 240, "arr": 6000000,
   "playbook": {
    "touchpoints": [
     {"name": "Monthly check-in", "hours": 1, "cadence": "CADENCE_MONTHLY"},
     {"name": "Quarterly business review", "hours": 3, "cadence": "CADENCE_QUARTERLY"},
     {"name": "Kick-off", "hours": 6, "cadence": "CADENCE_ONE_TIME"}],
    "inbound": [{"name": "Product questions", "perAccountPerMonth": 1, "hours": 0.5}]}},
  {"name": "SMB", "accounts": 900, "arr": 4500000, "customerLifetimeMonths": 24,
   "playbook": {
    "touchpoints": [
     {"name": "Health review", "hours": 0.5, "perYear": 3},
     {"name": "Group onboarding seat", "hours": 1, "cadence": "CADENCE_ONE_TIME"}],
    "inbound": [{"name": "Requests", "perAccountPerMonth": 0.3, "hours": 0.5}]}}]
}`

// forecastRequest is bench/requests.go's forecastRequest.
const forecastRequest = `{
 "startMonth": "2027-01", "horizonMonths": 120,
 "accounts": 260, "arr": 9100000, "csmCount": 6, "plannedHireMonths": ["2027-04"],
 "growth": {"newAccountsPerMonth": 9, "monthlyLogoChurnRate": 0.01, "monthlyExpansionRate": 0.005, "newAccountArr": 32000},
 "touchModel": "TOUCH_MODEL_HIGH", "complexity": "PRODUCT_COMPLEXITY_MODERATE",
 "timeline": {"timeToHireMonths": 2, "rampMonths": 3, "rampCurve": "RAMP_CURVE_LINEAR", "annualCsmAttritionRate": 0.12},
 "hireCost": {"baseSalary": 100000, "loadedCostMultiplier": 1.5, "recruitingFeeShare": 0.15}
}`

// segmentRequest exercises maps, repeated enums and a oneof-free request
// with nested maps of messages.
const segmentRequest = `{"segments": [{"name": "Ent", "touchModel": "TOUCH_MODEL_HIGH", "minArr": 100000,
 "stages": ["live", "onboarding"], "complexities": ["PRODUCT_COMPLEXITY_SIMPLE", "PRODUCT_COMPLEXITY_COMPLEX"],
 "attributes": {"region": {"values": ["EU", "US"]}, "plan": {"values": []}}, "accountsPerCsm": 20}],
 "accounts": [{"id": "a1", "name": "Acme \"Corp\" \u00e9\/\n", "arr": 250000, "stage": "live", "healthScore": 0.8,
  "complexity": "PRODUCT_COMPLEXITY_SIMPLE", "attributes": {"region": "EU", "": "empty key", "é": "\t"}}],
 "includeAssignments": true}`

// streamRequest sets a oneof member.
const streamRequest = `{"rules": {"segments": [], "csmTime": {"weeklyHours": 37.5}}}`
