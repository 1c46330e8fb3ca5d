package pbjson

import (
	"strings"
	"testing"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"

	csplanv1 "github.com/csplan/csplan/gen/csplan/v1"
)

var (
	computeType  = (&csplanv1.ComputeCapacityRequest{}).ProtoReflect().Type()
	forecastType = (&csplanv1.ForecastCapacityRequest{}).ProtoReflect().Type()
	segmentType  = (&csplanv1.SegmentAccountsRequest{}).ProtoReflect().Type()
	streamType   = (&csplanv1.StreamSegmentAccountsRequest{}).ProtoReflect().Type()
	accountType  = (&csplanv1.Account{}).ProtoReflect().Type()
	timelineType = (&csplanv1.Timeline{}).ProtoReflect().Type()
	growthType   = (&csplanv1.Growth{}).ProtoReflect().Type()
)

// TestUnmarshalCases checks inputs around the edges of the fast subset:
// each must give protojson's error text or protojson's message, and take
// the fast path exactly when marked fast.
func TestUnmarshalCases(t *testing.T) {
	cases := []struct {
		name string
		mt   protoreflect.MessageType
		in   string
		fast bool
	}{
		{"compute", computeType, computeRequest, true},
		{"forecast", forecastType, forecastRequest, true},
		{"segment", segmentType, segmentRequest, true},
		{"stream oneof", streamType, streamRequest, true},
		{"empty object", computeType, `{}`, true},
		{"whitespace", computeType, " \t\r\n{ \t\r\n} \t\r\n", true},
		{"proto names", forecastType, `{"start_month":"2027-01","horizon_months":3,"planned_hire_months":["2027-02"],"hire_cost":{"base_salary":1}}`, true},
		{"empty message field", forecastType, `{"growth":{}}`, true},
		{"optional zero", growthType, `{"monthlyLogoChurnRate":0}`, true},
		{"optional int32", timelineType, `{"timeToHireMonths":0,"rampMonths":-0}`, true},
		{"int32 max", forecastType, `{"accounts":2147483647,"csmCount":-2147483648}`, true},
		{"float forms", growthType, `{"newAccountsPerMonth":-0,"monthlyLogoChurnRate":1E5,"monthlyExpansionRate":1.25e-3,"newAccountArr":0.0}`, true},
		{"float int literal", growthType, `{"newAccountsPerMonth":12}`, true},
		{"float denormal", growthType, `{"newAccountsPerMonth":5e-324,"newAccountArr":1e-400}`, true},
		{"escapes", accountType, `{"name":"\"\\\/\b\f\n\r\t\u0041\u00e9\u20ac\u0000"}`, true},
		{"unicode raw", accountType, `{"name":"é漢字🙂\u2028"}`, true},
		{"map escaped key", accountType, `{"attributes":{"a\"b":"1","a\u0041":"2"}}`, true},
		{"enum", accountType, `{"complexity":"PRODUCT_COMPLEXITY_COMPLEX"}`, true},
		{"enum escaped", accountType, `{"complexity":"PRODUCT_COMPLEXITY_\u0043OMPLEX"}`, true},

		{"empty input", computeType, ``, false},
		{"only space", computeType, `   `, false},
		{"array top", computeType, `[]`, false},
		{"null top", computeType, `null`, false},
		{"unknown field", computeType, `{"nope":1}`, false},
		{"unknown nested", computeType, `{"csmTime":{"weeklyHourz":1}}`, false},
		{"duplicate json name", forecastType, `{"accounts":1,"accounts":2}`, false},
		{"duplicate proto name", forecastType, `{"startMonth":"a","start_month":"b"}`, false},
		{"duplicate list", forecastType, `{"plannedHireMonths":[],"planned_hire_months":[]}`, false},
		{"null field", forecastType, `{"growth":null}`, false},
		{"null scalar", forecastType, `{"accounts":null,"arr":1}`, false},
		{"null in list", forecastType, `{"plannedHireMonths":[null]}`, false},
		{"null map value", accountType, `{"attributes":{"a":null}}`, false},
		{"number as string", forecastType, `{"arr":"1.5"}`, false},
		{"int as string", forecastType, `{"accounts":"12"}`, false},
		{"NaN", forecastType, `{"arr":"NaN"}`, false},
		{"Infinity", forecastType, `{"arr":"-Infinity"}`, false},
		{"bare NaN", forecastType, `{"arr":NaN}`, false},
		{"enum number", forecastType, `{"touchModel":1}`, false},
		{"enum unknown number", forecastType, `{"touchModel":99}`, false},
		{"enum unknown name", forecastType, `{"touchModel":"TOUCH_MODEL_NOPE"}`, false},
		{"enum lower case", forecastType, `{"touchModel":"touch_model_high"}`, false},
		{"trailing garbage", forecastType, `{"accounts":1}x`, false},
		{"trailing object", forecastType, `{}{}`, false},
		{"trailing comma", forecastType, `{"accounts":1,}`, false},
		{"trailing comma list", forecastType, `{"plannedHireMonths":["a",]}`, false},
		{"missing colon", forecastType, `{"accounts" 1}`, false},
		{"unterminated", forecastType, `{"accounts":1`, false},
		{"unterminated string", forecastType, `{"startMonth":"abc`, false},
		{"invalid utf8 value", forecastType, "{\"startMonth\":\"\xff\"}", false},
		{"invalid utf8 key", forecastType, "{\"\xff\":1}", false},
		{"surrogate escape", accountType, `{"name":"\ud83d\ude00"}`, false},
		{"lone surrogate", accountType, `{"name":"\ud83d"}`, false},
		{"bad escape", accountType, `{"name":"\x"}`, false},
		{"short unicode escape", accountType, `{"name":"\u12"}`, false},
		{"raw control char", accountType, "{\"name\":\"a\tb\"}", false},
		{"escaped key", forecastType, `{"st\u0061rtMonth":"2027-01"}`, false},
		{"deep nesting", computeType, strings.Repeat(`{"csmTime":`, 200) + `{}` + strings.Repeat(`}`, 200), false},
		{"oneof conflict", streamType, `{"rules":{},"batch":{}}`, false},
		{"oneof null then set", streamType, `{"rules":null,"batch":{}}`, false},
		{"int32 overflow", forecastType, `{"accounts":2147483648}`, false},
		{"int32 underflow", forecastType, `{"accounts":-2147483649}`, false},
		{"int32 1.0", forecastType, `{"accounts":1.0}`, false},
		{"int32 1e2", forecastType, `{"accounts":1e2}`, false},
		{"int32 1.5", forecastType, `{"accounts":1.5}`, false},
		{"int32 leading zero", forecastType, `{"accounts":012}`, false},
		{"float leading zero", forecastType, `{"arr":012}`, false},
		{"float plus", forecastType, `{"arr":+1}`, false},
		{"float dot", forecastType, `{"arr":1.}`, false},
		{"float leading dot", forecastType, `{"arr":.5}`, false},
		{"float exp no digits", forecastType, `{"arr":1e}`, false},
		{"float overflow", forecastType, `{"arr":1e400}`, false},
		{"float hex", forecastType, `{"arr":0x10}`, false},
		{"float trailing letter", forecastType, `{"arr":1x}`, false},
		{"bool as string", segmentType, `{"includeAssignments":"true"}`, false},
		{"bool truthy", segmentType, `{"includeAssignments":1}`, false},
		{"bool suffix", segmentType, `{"includeAssignments":truex}`, false},
		{"duplicate map key", accountType, `{"attributes":{"a":"1","a":"2"}}`, false},
		{"duplicate map key escaped", accountType, `{"attributes":{"a":"1","\u0061":"2"}}`, false},
		{"map value number", accountType, `{"attributes":{"a":1}}`, false},
		{"list for scalar", forecastType, `{"accounts":[1]}`, false},
		{"scalar for list", forecastType, `{"plannedHireMonths":"2027-01"}`, false},
		{"object for list", forecastType, `{"plannedHireMonths":{}}`, false},
		{"bom", forecastType, "\ufeff{}", false},
		{"vertical tab", forecastType, "\v{}", false},
		{"extension key", forecastType, `{"[csplan.v1.x]":1}`, false},
		{"any type key", forecastType, `{"@type":"x"}`, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if fast := checkUnmarshal(t, c.mt, []byte(c.in)); fast != c.fast {
				t.Errorf("fast path: %v, want %v", fast, c.fast)
			}
		})
	}
}

// TestUnmarshalResets checks that decoding replaces, not merges into, the
// message, like protojson.
func TestUnmarshalResets(t *testing.T) {
	m := &csplanv1.ForecastCapacityRequest{Accounts: 5, PlannedHireMonths: []string{"x"}}
	if err := Unmarshal([]byte(`{"arr":1}`), m); err != nil {
		t.Fatal(err)
	}
	if !proto.Equal(m, &csplanv1.ForecastCapacityRequest{Arr: 1}) {
		t.Fatalf("got %v", m)
	}
}

// TestUnmarshalDoesNotRetainInput checks that strings do not alias data.
func TestUnmarshalDoesNotRetainInput(t *testing.T) {
	data := []byte(`{"startMonth":"2027-01"}`)
	m := &csplanv1.ForecastCapacityRequest{}
	if err := Unmarshal(data, m); err != nil {
		t.Fatal(err)
	}
	copy(data, strings.Repeat("x", len(data)))
	if m.StartMonth != "2027-01" {
		t.Fatalf("StartMonth changed with the input: %q", m.StartMonth)
	}
}
