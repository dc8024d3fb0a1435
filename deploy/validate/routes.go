package validate

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

// A GET route registered with a literal path in the endpoint's Express routers: router.get("/health", ...).
var getRoute = regexp.MustCompile("\\.get\\(\\s*[\"'`](/[^\"'`$]*)[\"'`]")

// GetRoutes returns the literal GET paths that the TypeScript endpoint's source (srcDir, e.g. ../../src)
// registers, so that probes and scrape annotations are checked against the routes that exist, not a list
// typed in here. Test files are skipped.
func GetRoutes(srcDir string) (map[string]bool, error) {
	routes := map[string]bool{}
	err := filepath.WalkDir(srcDir, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || !strings.HasSuffix(path, ".ts") || strings.HasSuffix(path, ".test.ts") {
			return nil
		}
		text, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range getRoute.FindAllStringSubmatch(string(text), -1) {
			routes[m[1]] = true
		}
		return nil
	})
	return routes, err
}
