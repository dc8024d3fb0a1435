package validate

import (
	"io/fs"
	"os"
	"strings"
	"testing"
	"testing/fstest"
)

// The folders validated, inside deploy/.
var manifestDirs = []string{"kubernetes", "kserve"}

// deployFS is a copy of deploy/ in memory, so that a test can change one file and decode the result.
func deployFS(t *testing.T) fstest.MapFS {
	t.Helper()
	files := fstest.MapFS{}
	for _, dir := range manifestDirs {
		err := fs.WalkDir(os.DirFS(".."), dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			data, err := fs.ReadFile(os.DirFS(".."), path)
			files[path] = &fstest.MapFile{Data: data}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return files
}

// mutate returns a copy of files in which file has its first `old` replaced by `new`; it fails the test if
// `old` is not there, so that no negative test passes because its mutation missed.
func mutate(t *testing.T, files fstest.MapFS, file, old, new string) fstest.MapFS {
	t.Helper()
	text := string(files[file].Data)
	if !strings.Contains(text, old) {
		t.Fatalf("%s does not contain %q: the mutation would change nothing", file, old)
	}
	out := fstest.MapFS{}
	for k, v := range files {
		out[k] = v
	}
	out[file] = &fstest.MapFile{Data: []byte(strings.Replace(text, old, new, 1))}
	return out
}

func load(files fs.FS) ([]Object, error) {
	var all []Object
	for _, dir := range manifestDirs {
		objects, err := LoadDir(files, dir)
		if err != nil {
			return nil, err
		}
		all = append(all, objects...)
	}
	return all, nil
}

func routes(t *testing.T) map[string]bool {
	t.Helper()
	r, err := GetRoutes("../../src")
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestEveryManifestDecodesStrictlyIntoItsKubernetesType(t *testing.T) {
	objects, err := load(deployFS(t))
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]int{}
	for _, o := range objects {
		kinds[o.Kind]++
		t.Logf("decoded %s", o)
	}
	for _, kind := range []string{"Namespace", "Deployment", "Service", "HorizontalPodAutoscaler", "PodDisruptionBudget",
		"Kustomization", "ServingRuntime", "InferenceService"} {
		if kinds[kind] == 0 {
			t.Errorf("no %s among the manifests", kind)
		}
	}
}

func TestTheManifestsAgreeWithEachOtherAndWithTheEndpoint(t *testing.T) {
	objects, err := load(deployFS(t))
	if err != nil {
		t.Fatal(err)
	}
	for _, problem := range Check(objects, deployFS(t), routes(t)) {
		t.Error(problem)
	}
}

func TestFindsTheEndpointsGetRoutesInItsSource(t *testing.T) {
	r := routes(t)
	for _, path := range []string{"/health", "/ready", "/v2/health/live", "/v2/health/ready"} {
		if !r[path] {
			t.Errorf("%s not found among %s", path, routeList(r))
		}
	}
	if r["/inference"] {
		t.Error("/inference is a POST route, yet it was taken for a GET route")
	}
}

// mutation is one change to a real manifest and a phrase that the error or problem it causes must contain.
type mutation struct {
	name, file, old, new, want string
}

func TestStrictDecodingRejects(t *testing.T) {
	cases := []mutation{
		{"an unknown field", "kubernetes/deployment.yaml",
			"readOnlyRootFilesystem: true", "readOnlyRootFileSystem: true", "unknown field"},
		{"a field name in the wrong case", "kubernetes/service.yaml",
			"targetPort: http", "targetport: http", "unknown field"},
		{"a string where a number belongs", "kubernetes/deployment.yaml",
			"containerPort: 3000", `containerPort: "3000"`, "cannot unmarshal string"},
		{"a number where a string belongs", "kubernetes/deployment.yaml",
			`value: "1"`, `value: 1`, "cannot unmarshal number"},
		{"a malformed quantity", "kubernetes/deployment.yaml",
			"memory: 320Mi", "memory: 320 MiB", "quantities must match"},
		{"a duplicate key", "kubernetes/pdb.yaml",
			"maxUnavailable: 1", "maxUnavailable: 1\n  maxUnavailable: 2", "already set"},
		{"a kind the validation does not know", "kubernetes/pdb.yaml",
			"policy/v1", "policy/v1beta1", "not one the validation knows"},
		{"a field KServe's ServingRuntime does not have", "kserve/servingruntime.yaml",
			"protocolVersions:", "protocolVersion:", "unknown field"},
		{"a misspelt InferenceService field", "kserve/inferenceservice.yaml",
			"storageUri:", "storageURI:", "unknown field"},
		{"a misspelt field of the Kubernetes container inside a ServingRuntime", "kserve/servingruntime.yaml",
			"readinessProbe:", "readynessProbe:", "unknown field"},
		{"a wrong type in the HPA", "kubernetes/hpa.yaml",
			"averageUtilization: 60", "averageUtilization: 60%", "cannot unmarshal string"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := load(mutate(t, deployFS(t), tc.file, tc.old, tc.new))
			if err == nil {
				t.Fatal("decoded without error")
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %q does not mention %q", err, tc.want)
			}
		})
	}
}

func TestTheChecksReport(t *testing.T) {
	cases := []mutation{
		{"a probe on a port the container does not expose", "kubernetes/deployment.yaml",
			"path: /health\n              port: http", "path: /health\n              port: 3001", "is not one of the container's ports"},
		{"a probe on a route the endpoint does not have", "kubernetes/deployment.yaml",
			"path: /health", "path: /healthz", `path "/healthz" is not a GET route`},
		{"a readiness probe on /health, which answers before warm-up", "kubernetes/deployment.yaml",
			"readinessProbe:\n            httpGet:\n              path: /ready", "readinessProbe:\n            httpGet:\n              path: /health", "answers before the model is warmed up"},
		{"a startup probe shorter than the warm-up", "kubernetes/deployment.yaml",
			"failureThreshold: 30", "failureThreshold: 5", "the startup probe gives up after"},
		{"a request above its limit", "kubernetes/deployment.yaml",
			"requests:\n              cpu: \"1\"\n              memory: 320Mi", "requests:\n              cpu: \"1\"\n              memory: 512Mi", "request 512Mi is more than its limit 320Mi"},
		{"an init container that takes the pod out of the Guaranteed QoS class", "kubernetes/deployment.yaml",
			"limits:\n              cpu: 100m", "limits:\n              cpu: 200m", "not in the Guaranteed QoS class"},
		{"a grace period shorter than the shutdown", "kubernetes/deployment.yaml",
			"terminationGracePeriodSeconds: 30", "terminationGracePeriodSeconds: 20", "terminationGracePeriodSeconds 20 is not more than"},
		{"a missing preStop sleep", "kubernetes/deployment.yaml",
			"preStop:\n              sleep:\n                seconds: 5", "preStop:\n              exec:\n                command: [\"true\"]", "no preStop sleep"},
		{"a selector that misses the pod labels", "kubernetes/deployment.yaml",
			"matchLabels:\n      app.kubernetes.io/name: ts-endpoint", "matchLabels:\n      app.kubernetes.io/name: ts-endpoints", "does not match the pod template's labels"},
		{"a Service aimed at a port no container has", "kubernetes/service.yaml",
			"targetPort: http", "targetPort: 3001", "no container of Deployment"},
		{"a Service that selects no pods", "kubernetes/service.yaml",
			"selector:\n    app.kubernetes.io/name: ts-endpoint", "selector:\n    app.kubernetes.io/name: other", "matches no Deployment"},
		{"an HPA aimed at another Deployment", "kubernetes/hpa.yaml",
			"name: ts-endpoint\n  minReplicas", "name: other\n  minReplicas", "is not a Deployment of these manifests"},
		{"a PDB that selects no pods", "kubernetes/pdb.yaml",
			"matchLabels:\n      app.kubernetes.io/name: ts-endpoint", "matchLabels:\n      app.kubernetes.io/name: other", "matches no Deployment"},
		{"replicas on a Deployment the HPA scales", "kubernetes/deployment.yaml",
			"revisionHistoryLimit: 5", "replicas: 2\n  revisionHistoryLimit: 5", "sets replicas although"},
		{"more than one worker per pod", "kubernetes/deployment.yaml",
			"name: WORKERS\n              value: \"1\"", "name: WORKERS\n              value: \"2\"", `WORKERS="2"`},
		{"a writable root filesystem", "kubernetes/deployment.yaml",
			"readOnlyRootFilesystem: true", "readOnlyRootFilesystem: false", "readOnlyRootFilesystem is not true"},
		{"no numeric user", "kubernetes/deployment.yaml",
			"        runAsUser: 1000\n", "", "no non-zero runAsUser"},
		{"a model path outside every mount", "kubernetes/deployment.yaml",
			"value: /models/model.txt", "value: /app/model/model.txt", "is not inside one of its volume mounts"},
		{"an env reference to a later variable", "kubernetes/deployment.yaml",
			"k8s.pod.name=$(POD_NAME)", "k8s.pod.name=$(POD_NAME),x=$(OTEL_TRACES_SAMPLER)", "refers to $(OTEL_TRACES_SAMPLER)"},
		{"a scrape port that is not a container port", "kubernetes/deployment.yaml",
			`prometheus.io/port: "3000"`, `prometheus.io/port: "9090"`, `prometheus.io/port "9090"`},
		{"a scrape path the endpoint does not serve", "kubernetes/deployment.yaml",
			"prometheus.io/path: /metrics", "prometheus.io/path: /metricz", `prometheus.io/path "/metricz"`},
		{"a manifest left out of the kustomization", "kubernetes/kustomization.yaml",
			"  - pdb.yaml\n", "", "pdb.yaml is not listed"},
		{"a kustomization namespace that is not the one created", "kubernetes/kustomization.yaml",
			"namespace: lightgbm-serving", "namespace: default", `namespace "default" is not the Namespace`},
		{"a runtime without the Open Inference Protocol", "kserve/servingruntime.yaml",
			"- v2", "- v1", "does not include v2"},
		{"a runtime on another port than KServe's", "kserve/servingruntime.yaml",
			`value: "8080"`, `value: "3000"`, `PORT="3000"`},
		{"a fixed model name in the runtime", "kserve/servingruntime.yaml",
			`value: "{{.Name}}"`, `value: model`, "MODEL_NAME=\"model\""},
		{"a runtime reading the model from elsewhere", "kserve/servingruntime.yaml",
			"value: /mnt/models/model.txt", "value: /models/model.txt", "is not under /mnt/models/"},
		{"an InferenceService in Knative mode with a runtime that sets PORT", "kserve/inferenceservice.yaml",
			"deploymentMode: RawDeployment", "deploymentMode: Serverless", "Knative refuses"},
		{"an InferenceService naming a runtime that is not here", "kserve/inferenceservice.yaml",
			"runtime: lightgbm-ts", "runtime: kserve-lgbserver", "does not name a ServingRuntime"},
		{"an InferenceService grace period shorter than the shutdown", "kserve/inferenceservice.yaml",
			"terminationGracePeriodSeconds: 30", "terminationGracePeriodSeconds: 10", "terminationGracePeriodSeconds 10 is not more than"},
	}
	original, err := load(deployFS(t))
	if err != nil {
		t.Fatal(err)
	}
	before := strings.Join(Check(original, deployFS(t), routes(t)), "\n")
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if strings.Contains(before, tc.want) {
				t.Fatalf("the unchanged manifests already report %q: the case would prove nothing", tc.want)
			}
			files := mutate(t, deployFS(t), tc.file, tc.old, tc.new)
			objects, err := load(files)
			if err != nil {
				t.Fatalf("the mutated manifests do not decode: %v", err)
			}
			problems := Check(objects, files, routes(t))
			for _, p := range problems {
				if strings.Contains(p, tc.want) {
					return
				}
			}
			t.Fatalf("no problem mentions %q; found %q", tc.want, problems)
		})
	}
}

func TestAConfigMapOverOneMebibyteIsReported(t *testing.T) {
	files := deployFS(t)
	files["kubernetes/big.yaml"] = &fstest.MapFile{Data: []byte("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: model\ndata:\n  model.txt: " +
		strings.Repeat("x", 1<<20) + "\n")}
	objects, err := load(files)
	if err != nil {
		t.Fatal(err)
	}
	problems := strings.Join(Check(objects, files, routes(t)), "\n")
	if !strings.Contains(problems, "a ConfigMap is limited to 1048576") {
		t.Fatalf("not reported; problems: %s", problems)
	}
}
