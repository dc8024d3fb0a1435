package main

import (
	"errors"
	"mime"
	"strings"

	"github.com/gofiber/contrib/otelfiber/v2"
	"github.com/gofiber/fiber/v2"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/trace"
)

type errorBody struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

type predictionBody struct {
	Prediction float64 `json:"prediction"`
}

type predictionsBody struct {
	Predictions []float64 `json:"predictions"`
}

// newApp is the Fiber app with Fiber's defaults (one process, no prefork, encoding/json for JSON) and, when
// traced, the otelfiber middleware on every route but the health probes.
func newApp(model *servedModel, traced bool) *fiber.App {
	app := fiber.New(fiber.Config{DisableStartupMessage: true, ErrorHandler: answerError})
	var tracer trace.Tracer
	if traced {
		tracer = otel.Tracer(tracerName)
		app.Use(otelfiber.Middleware(otelfiber.WithNext(isProbe)))
	}
	app.Get("/health", func(c *fiber.Ctx) error { return c.JSON(fiber.Map{"status": "ok"}) })
	app.Get("/ready", func(c *fiber.Ctx) error { return c.JSON(fiber.Map{"status": "ready"}) })
	app.Post("/inference", func(c *fiber.Ctx) error { return infer(c, model, tracer) })
	return app
}

func isProbe(c *fiber.Ctx) bool {
	path := c.Path()
	return path == "/health" || path == "/ready"
}

// infer answers POST /inference: one row gives {"prediction": x}, a batch {"predictions": [...]}.
func infer(c *fiber.Ctx, model *servedModel, tracer trace.Tracer) error {
	if !isJSON(c.Get(fiber.HeaderContentType)) {
		return &requestError{415, "unsupported_media_type", "send the body as application/json"}
	}
	r := requests.Get().(*request)
	defer requests.Put(r)
	if err := r.parse(c.Body(), model.features); err != nil {
		return err
	}
	rows := 1
	if r.batch {
		rows = len(r.rows)
	}
	var span trace.Span
	if tracer != nil {
		span = inferenceSpan(c.UserContext(), tracer, model, rows)
	}
	if !r.batch {
		prediction := model.predict(r.asFloats(r.row))
		if span != nil {
			span.End()
		}
		return c.JSON(predictionBody{prediction})
	}
	out := predictionsBody{make([]float64, len(r.rows))}
	for i, row := range r.rows {
		out.Predictions[i] = model.predict(r.asFloats(row))
	}
	if span != nil {
		span.End()
	}
	return c.JSON(out)
}

// isJSON accepts application/json and application/*+json, with any parameters.
func isJSON(contentType string) bool {
	media, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		return false
	}
	return media == "application/json" || (strings.HasPrefix(media, "application/") && strings.HasSuffix(media, "+json"))
}

// answerError writes every error as {"error": {"code", "message"}} with a code from contract/errors.json.
func answerError(c *fiber.Ctx, err error) error {
	status, code, message := 500, "internal", err.Error()
	var client *requestError
	var fiberError *fiber.Error
	switch {
	case errors.As(err, &client):
		status, code = client.status, client.code
	case errors.As(err, &fiberError):
		status = fiberError.Code
		code = codeForStatus(status)
	}
	var body errorBody
	body.Error.Code = code
	body.Error.Message = message
	return c.Status(status).JSON(body)
}

func codeForStatus(status int) string {
	switch status {
	case fiber.StatusNotFound:
		return "not_found"
	case fiber.StatusMethodNotAllowed:
		return "method_not_allowed"
	case fiber.StatusRequestTimeout:
		return "request_timeout"
	case fiber.StatusRequestEntityTooLarge:
		return "payload_too_large"
	case fiber.StatusRequestURITooLong:
		return "uri_too_long"
	case fiber.StatusUnsupportedMediaType:
		return "unsupported_media_type"
	case fiber.StatusRequestHeaderFieldsTooLarge:
		return "headers_too_large"
	case fiber.StatusNotImplemented:
		return "not_implemented"
	}
	if status >= 400 && status < 500 {
		return "bad_request"
	}
	return "internal"
}
