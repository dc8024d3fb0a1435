package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"reflect"
	"strconv"
	"sync"
)

// feature is one input value: a JSON number, or null for a missing value (NaN, as LightGBM reads it).
type feature float64

func (f *feature) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*f = feature(math.NaN())
		return nil
	}
	v, err := strconv.ParseFloat(string(b), 64)
	if err != nil {
		return &json.UnmarshalTypeError{Value: "value " + string(b), Type: featureType}
	}
	*f = feature(v)
	return nil
}

// body is the seed's request, `{"data": [20 numbers]}` or `{"data": [[...], [...]]}`. Fields other than `data`
// are ignored, as encoding/json does by default. Bodies are decoded with encoding/json (Fiber's default decoder
// too) into slices kept in a pool, so a steady stream of requests reuses the same memory.
type body struct {
	Data json.RawMessage `json:"data"`
}

type request struct {
	body  body
	row   []feature   // the one row of `{"data": [...]}`
	rows  [][]feature // the rows of `{"data": [[...], ...]}`
	batch bool
	// values holds one row converted for leaves.
	values []float64
}

var featureType = reflect.TypeOf(feature(0))

var requests = sync.Pool{New: func() any { return &request{} }}

// requestError is a client mistake, answered with a 4xx and a code from contract/errors.json.
type requestError struct {
	status  int
	code    string
	message string
}

func (e *requestError) Error() string { return e.message }

func invalidRequest(message string) *requestError {
	return &requestError{400, "invalid_request", message}
}

// parse reads the body into r, checking every row has width values.
func (r *request) parse(raw []byte, width int) error {
	r.body.Data = r.body.Data[:0]
	if err := json.Unmarshal(raw, &r.body); err != nil {
		var syntax *json.SyntaxError
		if errors.As(err, &syntax) || len(bytes.TrimSpace(raw)) == 0 {
			return &requestError{400, "invalid_json", "the body is not valid JSON: " + err.Error()}
		}
		return invalidRequest("the body must be a JSON object with a `data` field: " + err.Error())
	}
	data := bytes.TrimLeft(r.body.Data, " \t\r\n")
	if len(data) == 0 || data[0] != '[' {
		return invalidRequest("`data` must be an array of " + strconv.Itoa(width) + " numbers or an array of such rows")
	}
	r.batch = len(bytes.TrimLeft(data[1:], " \t\r\n")) > 0 && bytes.TrimLeft(data[1:], " \t\r\n")[0] == '['
	if r.batch {
		r.rows = r.rows[:0]
		if err := json.Unmarshal(data, &r.rows); err != nil {
			return invalidRequest("`data` rows must hold numbers or null: " + err.Error())
		}
		if len(r.rows) == 0 {
			return invalidRequest("`data` holds no rows")
		}
		for i, row := range r.rows {
			if len(row) != width {
				return invalidRequest("row " + strconv.Itoa(i) + " has " + strconv.Itoa(len(row)) + " values; the model takes " + strconv.Itoa(width))
			}
		}
		return nil
	}
	r.row = r.row[:0]
	if err := json.Unmarshal(data, &r.row); err != nil {
		return invalidRequest("`data` must hold numbers or null: " + err.Error())
	}
	if len(r.row) != width {
		return invalidRequest("`data` has " + strconv.Itoa(len(r.row)) + " values; the model takes " + strconv.Itoa(width))
	}
	return nil
}

// asFloats copies one row into r.values for leaves.
func (r *request) asFloats(row []feature) []float64 {
	r.values = r.values[:0]
	for _, v := range row {
		r.values = append(r.values, float64(v))
	}
	return r.values
}
