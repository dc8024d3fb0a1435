// Package validate decodes the project's Kubernetes and KServe manifests into their real API types, the way
// the API server does, and checks that their settings agree with each other and with the endpoint.
package validate

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"regexp"
	"sort"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	corev1 "k8s.io/api/core/v1"
	policyv1 "k8s.io/api/policy/v1"
	kjson "sigs.k8s.io/json"
	"sigs.k8s.io/yaml"
)

// Object is one decoded YAML document: where it came from and its typed value (a pointer to a struct).
type Object struct {
	File  string // path relative to the repository's deploy/ folder, e.g. "kubernetes/deployment.yaml"
	Index int    // position of the document in its file, from 0
	Kind  string
	Name  string
	Value any
}

func (o Object) String() string {
	return fmt.Sprintf("%s (document %d, %s %q)", o.File, o.Index, o.Kind, o.Name)
}

type typeMeta struct {
	APIVersion string `json:"apiVersion"`
	Kind       string `json:"kind"`
	Metadata   struct {
		Name string `json:"name"`
	} `json:"metadata"`
}

// kinds maps "apiVersion/kind" to a constructor of its typed struct. A kind that is not here is an error, so
// no document escapes the strict decoding.
var kinds = map[string]func() any{
	"v1/Namespace":                                  func() any { return &corev1.Namespace{} },
	"v1/Service":                                    func() any { return &corev1.Service{} },
	"v1/ConfigMap":                                  func() any { return &corev1.ConfigMap{} },
	"apps/v1/Deployment":                            func() any { return &appsv1.Deployment{} },
	"autoscaling/v2/HorizontalPodAutoscaler":        func() any { return &autoscalingv2.HorizontalPodAutoscaler{} },
	"policy/v1/PodDisruptionBudget":                 func() any { return &policyv1.PodDisruptionBudget{} },
	"serving.kserve.io/v1alpha1/ServingRuntime":     func() any { return &ServingRuntime{} },
	"serving.kserve.io/v1beta1/InferenceService":    func() any { return &InferenceService{} },
	"kustomize.config.k8s.io/v1beta1/Kustomization": func() any { return &Kustomization{} },
}

var separator = regexp.MustCompile(`(?m)^---[ \t]*$`)

// DecodeDocument decodes one YAML document strictly into the type its apiVersion and kind name. YAML is
// turned into JSON (duplicate keys fail), then decoded with sigs.k8s.io/json, the decoder of the API server:
// field names match case-sensitively, unknown and duplicate fields fail, and a value of the wrong type fails
// (no string/number coercion).
func DecodeDocument(doc []byte) (kind, name string, value any, err error) {
	data, err := yaml.YAMLToJSONStrict(doc)
	if err != nil {
		return "", "", nil, fmt.Errorf("not valid YAML: %w", err)
	}
	var meta typeMeta
	if err := yaml.Unmarshal(doc, &meta); err != nil {
		return "", "", nil, fmt.Errorf("cannot read apiVersion and kind: %w", err)
	}
	make, ok := kinds[meta.APIVersion+"/"+meta.Kind]
	if !ok {
		return "", "", nil, fmt.Errorf("apiVersion %q kind %q is not one the validation knows", meta.APIVersion, meta.Kind)
	}
	value = make()
	strict, err := kjson.UnmarshalStrict(data, value, kjson.DisallowDuplicateFields, kjson.DisallowUnknownFields)
	if err != nil {
		return "", "", nil, fmt.Errorf("%s: %w", meta.Kind, err)
	}
	if len(strict) > 0 {
		return "", "", nil, fmt.Errorf("%s: %w", meta.Kind, errors.Join(strict...))
	}
	if meta.Kind != "Kustomization" && meta.Metadata.Name == "" {
		return "", "", nil, fmt.Errorf("%s has no metadata.name", meta.Kind)
	}
	return meta.Kind, meta.Metadata.Name, value, nil
}

// isEmpty is true for a document with nothing but comments and blank lines.
func isEmpty(doc []byte) bool {
	for _, line := range strings.Split(string(doc), "\n") {
		line = strings.TrimSpace(line)
		if line != "" && !strings.HasPrefix(line, "#") {
			return false
		}
	}
	return true
}

// LoadDir decodes every document of every .yaml/.yml file under dir in root (recursively), in file order.
// root is the deploy/ folder: os.DirFS("..") from deploy/validate, or an in-memory copy in the tests.
func LoadDir(root fs.FS, dir string) ([]Object, error) {
	var files []string
	err := fs.WalkDir(root, dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && (strings.HasSuffix(path, ".yaml") || strings.HasSuffix(path, ".yml")) {
			files = append(files, path)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	sort.Strings(files)
	var objects []Object
	var errs []error
	for _, path := range files {
		text, err := fs.ReadFile(root, path)
		if err != nil {
			return nil, err
		}
		rel := path
		for i, doc := range separator.Split(string(text), -1) {
			if isEmpty([]byte(doc)) {
				continue
			}
			kind, name, value, err := DecodeDocument(bytes.TrimSpace([]byte(doc)))
			if err != nil {
				errs = append(errs, fmt.Errorf("%s (document %d): %w", rel, i, err))
				continue
			}
			objects = append(objects, Object{File: rel, Index: i, Kind: kind, Name: name, Value: value})
		}
	}
	if len(files) == 0 {
		errs = append(errs, fmt.Errorf("%s: no YAML files", dir))
	}
	return objects, errors.Join(errs...)
}
