package main

import (
	"net"

	"github.com/gofiber/fiber/v2"
)

// floorResponse is what floor-server.ts answers: the same bytes, so the two floors differ only in the runtime.
var floorResponse = []byte(`{"prediction":0.0}`)

// serveFloor is the Go side of the benchmark's floor (`fiber-peer -floor`): the same Fiber app configuration as
// the peer, with a POST /inference that answers a constant after Fiber has read the body, no model and no
// tracing. Its time per call beside floor-server.ts's (a no-op node:http server) is what the two runtimes' HTTP
// stacks cost by themselves, so each endpoint's time can also be read beyond its own runtime's floor.
func serveFloor(host, port string) error {
	app := fiber.New(fiber.Config{DisableStartupMessage: true})
	app.Get("/ready", func(c *fiber.Ctx) error { return c.JSON(fiber.Map{"status": "ready"}) })
	app.Post("/inference", func(c *fiber.Ctx) error {
		c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSON)
		return c.Send(floorResponse)
	})
	return app.Listen(net.JoinHostPort(host, port))
}
