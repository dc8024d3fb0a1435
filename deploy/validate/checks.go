package validate

import (
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	corev1 "k8s.io/api/core/v1"
	policyv1 "k8s.io/api/policy/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/util/intstr"
)

const (
	configMapLimitBytes = 1 << 20 // etcd's limit on one object, which bounds a ConfigMap's data
	// OTEL_EXPORTER_OTLP_TIMEOUT's default in the OpenTelemetry specification, when a manifest does not set it.
	defaultOTLPTimeoutMs = 10_000
	kserveModelDir       = "/mnt/models/" // where KServe's storage initializer puts the storageUri's files
)

// Problems collects what the checks find, each prefixed with the object it is about.
type Problems []string

func (p *Problems) add(where fmt.Stringer, format string, args ...any) {
	*p = append(*p, where.String()+": "+fmt.Sprintf(format, args...))
}

// pod is what the checks need of a pod template, whichever object carries it.
type pod struct {
	where       fmt.Stringer
	containers  []corev1.Container
	init        []corev1.Container
	volumes     []corev1.Volume
	grace       *int64
	security    *corev1.PodSecurityContext
	annotations map[string]string
}

// Check runs every check over the decoded objects. root is the deploy/ folder (for kustomization resources);
// routes are the GET paths the endpoint registers (see GetRoutes).
func Check(objects []Object, root fs.FS, routes map[string]bool) Problems {
	var p Problems
	deployments := map[string]*appsv1.Deployment{}
	runtimes := map[string]*ServingRuntime{}
	for _, o := range objects {
		switch v := o.Value.(type) {
		case *appsv1.Deployment:
			deployments[v.Name] = v
		case *ServingRuntime:
			runtimes[v.Name] = v
		}
	}
	scaled := map[string]bool{} // Deployments that an HPA scales
	for _, o := range objects {
		if h, ok := o.Value.(*autoscalingv2.HorizontalPodAutoscaler); ok && h.Spec.ScaleTargetRef.Kind == "Deployment" {
			scaled[h.Spec.ScaleTargetRef.Name] = true
		}
	}
	for _, o := range objects {
		switch v := o.Value.(type) {
		case *appsv1.Deployment:
			checkDeployment(&p, o, v, scaled[v.Name], routes)
		case *corev1.Service:
			checkService(&p, o, v, deployments)
		case *autoscalingv2.HorizontalPodAutoscaler:
			checkHPA(&p, o, v, deployments)
		case *policyv1.PodDisruptionBudget:
			checkPDB(&p, o, v, deployments)
		case *corev1.ConfigMap:
			size := 0
			for k, s := range v.Data {
				size += len(k) + len(s)
			}
			for k, b := range v.BinaryData {
				size += len(k) + len(b)
			}
			if size > configMapLimitBytes {
				p.add(o, "holds %d bytes; a ConfigMap is limited to %d", size, configMapLimitBytes)
			}
		case *ServingRuntime:
			checkServingRuntime(&p, o, v, routes)
		case *InferenceService:
			checkInferenceService(&p, o, v, runtimes)
		case *Kustomization:
			checkKustomization(&p, o, v, root, objects)
		}
	}
	return p
}

func checkDeployment(p *Problems, o Object, d *appsv1.Deployment, scaled bool, routes map[string]bool) {
	if d.Spec.Selector == nil {
		p.add(o, "has no selector")
	} else if !selects(d.Spec.Selector, d.Spec.Template.Labels) {
		p.add(o, "selector %v does not match the pod template's labels %v", d.Spec.Selector.MatchLabels, d.Spec.Template.Labels)
	}
	if scaled && d.Spec.Replicas != nil {
		p.add(o, "sets replicas although a HorizontalPodAutoscaler scales it (kubectl apply would reset the HPA's count)")
	}
	spec := d.Spec.Template.Spec
	checkPod(p, pod{
		where: o, containers: spec.Containers, init: spec.InitContainers, volumes: spec.Volumes,
		grace: spec.TerminationGracePeriodSeconds, security: spec.SecurityContext, annotations: d.Spec.Template.Annotations,
	}, routes)
	// The model the server reads must be put into its volume by an init container.
	for _, c := range spec.Containers {
		modelPath, ok := env(c, "MODEL_PATH")
		if !ok {
			continue
		}
		mount := mountFor(c, modelPath)
		if mount == nil {
			continue // reported by checkPod
		}
		filled := false
		for _, ic := range spec.InitContainers {
			for _, m := range ic.VolumeMounts {
				if m.Name == mount.Name && !m.ReadOnly {
					filled = true
				}
			}
		}
		if !filled {
			p.add(o, "container %q reads MODEL_PATH=%s from volume %q, which no init container writes", c.Name, modelPath, mount.Name)
		}
	}
}

// checkPod checks what every pod of ours must have: probes on ports and routes that exist, measured
// resources, a grace period that covers the shutdown, a non-root read-only container, scrape annotations
// that point at a port and a route.
func checkPod(p *Problems, pd pod, routes map[string]bool) {
	volumes := map[string]bool{}
	for _, v := range pd.volumes {
		volumes[v.Name] = true
	}
	ports := map[string]bool{}
	for _, c := range append(slices.Clone(pd.init), pd.containers...) {
		checkSecurity(p, pd.where, c, pd.security)
		checkResources(p, pd.where, c)
		for _, m := range c.VolumeMounts {
			if !volumes[m.Name] {
				p.add(pd.where, "container %q mounts volume %q, which the pod does not define", c.Name, m.Name)
			}
		}
		for _, port := range c.Ports {
			ports[strconv.Itoa(int(port.ContainerPort))] = true
		}
	}
	checkQoS(p, pd)
	for _, c := range pd.containers {
		checkServer(p, pd.where, c, routes)
		checkGrace(p, pd.where, c, pd.grace)
	}
	if pd.annotations["prometheus.io/scrape"] == "true" {
		if port := pd.annotations["prometheus.io/port"]; !ports[port] {
			p.add(pd.where, "prometheus.io/port %q is not a container port", port)
		}
		if path := pd.annotations["prometheus.io/path"]; !routes[path] {
			p.add(pd.where, "prometheus.io/path %q is not a GET route of the endpoint (%s)", path, routeList(routes))
		}
	}
}

// checkServer checks a serving container: its probes, its port, its configuration.
func checkServer(p *Problems, where fmt.Stringer, c corev1.Container, routes map[string]bool) {
	probes := []struct {
		name  string
		probe *corev1.Probe
	}{{"startupProbe", c.StartupProbe}, {"readinessProbe", c.ReadinessProbe}, {"livenessProbe", c.LivenessProbe}}
	for _, pr := range probes {
		if pr.probe == nil {
			p.add(where, "container %q has no %s", c.Name, pr.name)
			continue
		}
		get := pr.probe.HTTPGet
		if get == nil {
			p.add(where, "container %q: %s is not an HTTP GET", c.Name, pr.name)
			continue
		}
		if _, ok := containerPort(c, get.Port); !ok {
			p.add(where, "container %q: %s port %s is not one of the container's ports", c.Name, pr.name, get.Port.String())
		}
		if !routes[get.Path] {
			p.add(where, "container %q: %s path %q is not a GET route of the endpoint (%s)", c.Name, pr.name, get.Path, routeList(routes))
		}
	}
	// The readiness and startup probes must ask /ready-like routes: /health answers before the model is loaded.
	for _, pr := range probes[:2] {
		if pr.probe == nil || pr.probe.HTTPGet == nil {
			continue
		}
		if path := pr.probe.HTTPGet.Path; path == "/health" || strings.HasSuffix(path, "/live") {
			p.add(where, "container %q: %s asks %s, which answers before the model is warmed up", c.Name, pr.name, path)
		}
	}

	portEnv, ok := env(c, "PORT")
	if !ok {
		p.add(where, "container %q does not set PORT", c.Name)
	} else if n, err := strconv.Atoi(portEnv); err != nil {
		p.add(where, "container %q: PORT=%q is not a number", c.Name, portEnv)
	} else if _, ok := containerPort(c, intstr.FromInt32(int32(n))); !ok {
		p.add(where, "container %q listens on PORT=%d, which is not one of its container ports", c.Name, n)
	}
	if w, _ := env(c, "WORKERS"); w != "1" {
		p.add(where, "container %q: WORKERS=%q; one process per pod (WORKERS=1), scaled by replicas", c.Name, w)
	}
	if modelPath, ok := env(c, "MODEL_PATH"); !ok {
		p.add(where, "container %q does not set MODEL_PATH", c.Name)
	} else if !strings.HasPrefix(modelPath, kserveModelDir) && mountFor(c, modelPath) == nil {
		p.add(where, "container %q: MODEL_PATH=%s is not inside one of its volume mounts", c.Name, modelPath)
	}
	if c.StartupProbe != nil {
		warm, ok := envMs(p, where, c, "WARMUP_MAX_MS")
		if !ok {
			p.add(where, "container %q does not set WARMUP_MAX_MS, which the startup probe is sized to", c.Name)
		} else {
			sp := c.StartupProbe
			budget := int64(sp.InitialDelaySeconds) + int64(max(sp.PeriodSeconds, 1))*int64(max(sp.FailureThreshold, 1))
			if budget < 3*warm/1000 {
				p.add(where, "container %q: the startup probe gives up after %d s, less than 3 × WARMUP_MAX_MS (%d s)", c.Name, budget, 3*warm/1000)
			}
		}
	}
	checkEnvReferences(p, where, c)
}

// checkGrace: terminationGracePeriodSeconds must outlast the preStop sleep, the server's drain
// (SHUTDOWN_TIMEOUT_MS) and the last span export (OTEL_EXPORTER_OTLP_TIMEOUT).
func checkGrace(p *Problems, where fmt.Stringer, c corev1.Container, grace *int64) {
	shutdown, ok := envMs(p, where, c, "SHUTDOWN_TIMEOUT_MS")
	if !ok {
		p.add(where, "container %q does not set SHUTDOWN_TIMEOUT_MS", c.Name)
		return
	}
	if grace == nil {
		p.add(where, "sets no terminationGracePeriodSeconds (container %q drains for SHUTDOWN_TIMEOUT_MS=%d)", c.Name, shutdown)
		return
	}
	otlp, ok := envMs(p, where, c, "OTEL_EXPORTER_OTLP_TIMEOUT")
	if !ok {
		otlp = defaultOTLPTimeoutMs
	}
	sleep := int64(0)
	if c.Lifecycle == nil || c.Lifecycle.PreStop == nil || c.Lifecycle.PreStop.Sleep == nil {
		p.add(where, "container %q has no preStop sleep, so it may stop accepting before the Service stops sending", c.Name)
	} else {
		sleep = c.Lifecycle.PreStop.Sleep.Seconds
	}
	need := sleep + (shutdown+otlp+999)/1000
	if *grace <= need {
		p.add(where, "terminationGracePeriodSeconds %d is not more than preStop %d s + SHUTDOWN_TIMEOUT_MS %d ms + OTEL_EXPORTER_OTLP_TIMEOUT %d ms", *grace, sleep, shutdown, otlp)
	}
}

func checkSecurity(p *Problems, where fmt.Stringer, c corev1.Container, podSC *corev1.PodSecurityContext) {
	sc := c.SecurityContext
	if sc == nil {
		p.add(where, "container %q has no securityContext", c.Name)
		return
	}
	nonRoot := sc.RunAsNonRoot != nil && *sc.RunAsNonRoot || podSC != nil && podSC.RunAsNonRoot != nil && *podSC.RunAsNonRoot
	if !nonRoot {
		p.add(where, "container %q may run as root (runAsNonRoot is not true)", c.Name)
	}
	// The images name their user (USER node / USER control): the kubelet needs a number to check runAsNonRoot.
	uid := sc.RunAsUser
	if uid == nil && podSC != nil {
		uid = podSC.RunAsUser
	}
	if uid == nil || *uid == 0 {
		p.add(where, "container %q has no non-zero runAsUser; the kubelet cannot check runAsNonRoot against a user name", c.Name)
	}
	if sc.ReadOnlyRootFilesystem == nil || !*sc.ReadOnlyRootFilesystem {
		p.add(where, "container %q: readOnlyRootFilesystem is not true", c.Name)
	}
	if sc.AllowPrivilegeEscalation == nil || *sc.AllowPrivilegeEscalation {
		p.add(where, "container %q: allowPrivilegeEscalation is not false", c.Name)
	}
	if sc.Capabilities == nil || !slices.Contains(sc.Capabilities.Drop, "ALL") {
		p.add(where, "container %q does not drop ALL capabilities", c.Name)
	}
}

func checkResources(p *Problems, where fmt.Stringer, c corev1.Container) {
	for _, name := range []corev1.ResourceName{corev1.ResourceCPU, corev1.ResourceMemory} {
		req, hasReq := c.Resources.Requests[name]
		lim, hasLim := c.Resources.Limits[name]
		if !hasReq || !hasLim {
			p.add(where, "container %q: %s needs both a request and a limit", c.Name, name)
			continue
		}
		if req.Cmp(lim) > 0 {
			p.add(where, "container %q: %s request %s is more than its limit %s", c.Name, name, req.String(), lim.String())
		}
	}
}

// checkQoS: a serving container whose requests equal its limits asks for the Guaranteed QoS class (evicted
// last, eligible for a core of its own), which the pod gets only if every container, init ones included, has
// requests equal to limits.
func checkQoS(p *Problems, pd pod) {
	guaranteed := func(c corev1.Container) bool {
		for _, name := range []corev1.ResourceName{corev1.ResourceCPU, corev1.ResourceMemory} {
			req, lim := c.Resources.Requests[name], c.Resources.Limits[name]
			if req.IsZero() || req.Cmp(lim) != 0 {
				return false
			}
		}
		return true
	}
	if !slices.ContainsFunc(pd.containers, guaranteed) {
		return
	}
	for _, c := range append(slices.Clone(pd.init), pd.containers...) {
		if !guaranteed(c) {
			p.add(pd.where, "container %q's requests differ from its limits, so the pod is not in the Guaranteed QoS class that its server container asks for", c.Name)
		}
	}
}

var envReference = regexp.MustCompile(`\$\(([A-Za-z_][A-Za-z0-9_]*)\)`)

// checkEnvReferences: $(NAME) in a value expands only if NAME is defined earlier in the same list.
func checkEnvReferences(p *Problems, where fmt.Stringer, c corev1.Container) {
	defined := map[string]bool{}
	for _, e := range c.Env {
		for _, m := range envReference.FindAllStringSubmatch(e.Value, -1) {
			if !defined[m[1]] {
				p.add(where, "container %q: %s refers to $(%s), which is not defined before it", c.Name, e.Name, m[1])
			}
		}
		defined[e.Name] = true
	}
}

func checkService(p *Problems, o Object, s *corev1.Service, deployments map[string]*appsv1.Deployment) {
	d := selected(s.Spec.Selector, deployments)
	if d == nil {
		p.add(o, "selector %v matches no Deployment's pods", s.Spec.Selector)
		return
	}
	for _, port := range s.Spec.Ports {
		target := port.TargetPort
		if target.Type == intstr.Int && target.IntVal == 0 {
			target = intstr.FromInt32(port.Port) // an absent targetPort means the same number as port
		}
		found := false
		for _, c := range d.Spec.Template.Spec.Containers {
			if _, ok := containerPort(c, target); ok {
				found = true
			}
		}
		if !found {
			p.add(o, "port %q targets %s, which no container of Deployment %q exposes", port.Name, target.String(), d.Name)
		}
	}
}

func checkHPA(p *Problems, o Object, h *autoscalingv2.HorizontalPodAutoscaler, deployments map[string]*appsv1.Deployment) {
	ref := h.Spec.ScaleTargetRef
	d := deployments[ref.Name]
	if ref.Kind != "Deployment" || ref.APIVersion != "apps/v1" || d == nil {
		p.add(o, "scaleTargetRef %s %s %q is not a Deployment of these manifests", ref.APIVersion, ref.Kind, ref.Name)
		return
	}
	if h.Spec.MinReplicas == nil || *h.Spec.MinReplicas < 2 {
		p.add(o, "minReplicas must be at least 2, so one replica serves while another is disrupted")
	} else if *h.Spec.MinReplicas > h.Spec.MaxReplicas {
		p.add(o, "minReplicas %d is more than maxReplicas %d", *h.Spec.MinReplicas, h.Spec.MaxReplicas)
	}
	for _, m := range h.Spec.Metrics {
		if m.Type != autoscalingv2.ResourceMetricSourceType || m.Resource == nil {
			continue
		}
		if m.Resource.Target.Type == autoscalingv2.UtilizationMetricType {
			for _, c := range d.Spec.Template.Spec.Containers {
				if _, ok := c.Resources.Requests[m.Resource.Name]; !ok {
					p.add(o, "scales on %s utilisation, but container %q has no %s request to measure it against", m.Resource.Name, c.Name, m.Resource.Name)
				}
			}
		}
	}
}

func checkPDB(p *Problems, o Object, pdb *policyv1.PodDisruptionBudget, deployments map[string]*appsv1.Deployment) {
	if pdb.Spec.Selector == nil {
		p.add(o, "has no selector")
		return
	}
	found := false
	for _, d := range deployments {
		if selects(pdb.Spec.Selector, d.Spec.Template.Labels) {
			found = true
		}
	}
	if !found {
		p.add(o, "selector %v matches no Deployment's pods", pdb.Spec.Selector.MatchLabels)
	}
	if pdb.Spec.MinAvailable == nil && pdb.Spec.MaxUnavailable == nil {
		p.add(o, "sets neither minAvailable nor maxUnavailable")
	}
}

func checkServingRuntime(p *Problems, o Object, r *ServingRuntime, routes map[string]bool) {
	if !slices.Contains(r.Spec.ProtocolVersions, "v2") {
		p.add(o, "protocolVersions %v does not include v2 (the Open Inference Protocol)", r.Spec.ProtocolVersions)
	}
	if !slices.ContainsFunc(r.Spec.SupportedModelFormats, func(f SupportedModelFormat) bool { return f.Name == "lightgbm" }) {
		p.add(o, "does not list the lightgbm model format")
	}
	var server *corev1.Container
	for i := range r.Spec.Containers {
		if r.Spec.Containers[i].Name == "kserve-container" {
			server = &r.Spec.Containers[i]
		}
	}
	if server == nil {
		p.add(o, "has no container named kserve-container, the one KServe routes requests to")
		return
	}
	if port, _ := env(*server, "PORT"); port != "8080" {
		p.add(o, "kserve-container: PORT=%q; KServe sends requests to 8080", port)
	}
	if modelPath, _ := env(*server, "MODEL_PATH"); !strings.HasPrefix(modelPath, kserveModelDir) {
		p.add(o, "kserve-container: MODEL_PATH=%q is not under %s, where KServe's storage initializer puts the model", modelPath, kserveModelDir)
	}
	if name, _ := env(*server, "MODEL_NAME"); name != "{{.Name}}" {
		p.add(o, "kserve-container: MODEL_NAME=%q; {{.Name}} makes it the InferenceService's name, as KServe's OIP paths expect", name)
	}
	// The pod-level parts (grace period, pod security context) come from the InferenceService; checked there.
	ports := map[string]bool{}
	for _, c := range r.Spec.Containers {
		checkSecurity(p, o, c, nil)
		checkResources(p, o, c)
		checkServer(p, o, c, routes)
		for _, port := range c.Ports {
			ports[strconv.Itoa(int(port.ContainerPort))] = true
		}
	}
	if r.Spec.Annotations["prometheus.io/scrape"] == "true" {
		if port := r.Spec.Annotations["prometheus.io/port"]; !ports[port] {
			p.add(o, "prometheus.io/port %q is not a container port", port)
		}
		if path := r.Spec.Annotations["prometheus.io/path"]; !routes[path] {
			p.add(o, "prometheus.io/path %q is not a GET route of the endpoint (%s)", path, routeList(routes))
		}
	}
}

func checkInferenceService(p *Problems, o Object, s *InferenceService, runtimes map[string]*ServingRuntime) {
	pred := s.Spec.Predictor
	if pred.Model == nil {
		p.add(o, "has no predictor.model")
		return
	}
	m := pred.Model
	if m.Runtime == nil || runtimes[*m.Runtime] == nil {
		p.add(o, "predictor.model.runtime does not name a ServingRuntime of these manifests")
		return
	}
	r := runtimes[*m.Runtime]
	if !slices.ContainsFunc(r.Spec.SupportedModelFormats, func(f SupportedModelFormat) bool { return f.Name == m.ModelFormat.Name }) {
		p.add(o, "model format %q is not one that ServingRuntime %q supports", m.ModelFormat.Name, r.Name)
	}
	if m.ProtocolVersion == nil || !slices.Contains(r.Spec.ProtocolVersions, *m.ProtocolVersion) {
		p.add(o, "protocolVersion is not one that ServingRuntime %q speaks (%v)", r.Name, r.Spec.ProtocolVersions)
	}
	if m.StorageURI == nil || *m.StorageURI == "" {
		p.add(o, "has no storageUri: KServe would put no model into %s", kserveModelDir)
	}
	if pred.MinReplicas != nil && pred.MaxReplicas != 0 && *pred.MinReplicas > pred.MaxReplicas {
		p.add(o, "minReplicas %d is more than maxReplicas %d", *pred.MinReplicas, pred.MaxReplicas)
	}
	mode := s.Annotations["serving.kserve.io/deploymentMode"]
	for _, c := range r.Spec.Containers {
		if _, setsPort := env(c, "PORT"); setsPort && mode != "RawDeployment" && mode != "Standard" {
			p.add(o, "runs ServingRuntime %q, whose container sets PORT, in deployment mode %q: Knative refuses a container that sets PORT (use RawDeployment/Standard)", r.Name, mode)
		}
		if pred.ScaleMetric != nil && *pred.ScaleMetric == "cpu" {
			if _, ok := c.Resources.Requests[corev1.ResourceCPU]; !ok {
				p.add(o, "scales on cpu, but ServingRuntime %q's container %q has no cpu request", r.Name, c.Name)
			}
		}
		checkGrace(p, o, c, pred.TerminationGracePeriodSeconds)
	}
}

func checkKustomization(p *Problems, o Object, k *Kustomization, root fs.FS, objects []Object) {
	dir := path.Dir(o.File)
	listed := map[string]bool{}
	for _, r := range k.Resources {
		listed[path.Clean(path.Join(dir, r))] = true
		if _, err := fs.Stat(root, path.Join(dir, r)); err != nil {
			p.add(o, "resource %q does not exist", r)
		}
	}
	entries, _ := fs.ReadDir(root, dir)
	for _, e := range entries {
		file := path.Join(dir, e.Name())
		if !e.IsDir() && strings.HasSuffix(e.Name(), ".yaml") && e.Name() != "kustomization.yaml" && !listed[file] {
			p.add(o, "%s is not listed in resources, so kubectl apply -k would leave it out", e.Name())
		}
	}
	for _, obj := range objects {
		if ns, ok := obj.Value.(*corev1.Namespace); ok && path.Dir(obj.File) == dir && k.Namespace != ns.Name {
			p.add(o, "namespace %q is not the Namespace %q that it creates", k.Namespace, ns.Name)
		}
	}
	images := map[string]bool{}
	for _, obj := range objects {
		if d, ok := obj.Value.(*appsv1.Deployment); ok && path.Dir(obj.File) == dir {
			for _, c := range append(slices.Clone(d.Spec.Template.Spec.InitContainers), d.Spec.Template.Spec.Containers...) {
				name, _, _ := strings.Cut(c.Image, ":")
				images[name] = true
			}
		}
	}
	for _, img := range k.Images {
		if !images[img.Name] {
			p.add(o, "images: %q is not the image of any container here", img.Name)
		}
	}
}

// --- helpers ---

func selects(sel *metav1.LabelSelector, podLabels map[string]string) bool {
	s, err := metav1.LabelSelectorAsSelector(sel)
	return err == nil && !s.Empty() && s.Matches(labels.Set(podLabels))
}

func selected(sel map[string]string, deployments map[string]*appsv1.Deployment) *appsv1.Deployment {
	if len(sel) == 0 {
		return nil
	}
	for _, d := range deployments {
		if labels.SelectorFromSet(sel).Matches(labels.Set(d.Spec.Template.Labels)) {
			return d
		}
	}
	return nil
}

func containerPort(c corev1.Container, port intstr.IntOrString) (corev1.ContainerPort, bool) {
	for _, cp := range c.Ports {
		if port.Type == intstr.String && cp.Name == port.StrVal || port.Type == intstr.Int && cp.ContainerPort == port.IntVal {
			return cp, true
		}
	}
	return corev1.ContainerPort{}, false
}

func env(c corev1.Container, name string) (string, bool) {
	for _, e := range c.Env {
		if e.Name == name {
			return e.Value, true
		}
	}
	return "", false
}

func envMs(p *Problems, where fmt.Stringer, c corev1.Container, name string) (int64, bool) {
	raw, ok := env(c, name)
	if !ok {
		return 0, false
	}
	n, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || n < 0 {
		p.add(where, "container %q: %s=%q is not a whole number of milliseconds", c.Name, name, raw)
		return 0, false
	}
	return n, true
}

func mountFor(c corev1.Container, file string) *corev1.VolumeMount {
	for i, m := range c.VolumeMounts {
		if strings.HasPrefix(file, strings.TrimSuffix(m.MountPath, "/")+"/") {
			return &c.VolumeMounts[i]
		}
	}
	return nil
}

func routeList(routes map[string]bool) string {
	list := make([]string, 0, len(routes))
	for r := range routes {
		list = append(list, r)
	}
	sort.Strings(list)
	return strings.Join(list, ", ")
}
