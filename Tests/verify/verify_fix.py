#!/usr/bin/env python3
"""Independent oracle for shmfix's YAML output (written from DESIGN.md, shares no code with it).

    verify_fix.py [--volume-name dshm] --size 2Gi [-c NAME]... [--init-containers] [--keep-existing]
                  [--canonical] ORIGINAL OUTPUT
    verify_fix.py [--canonical] --batch LISTFILE
        lines: ORIGINAL<TAB>OUTPUT<TAB>SIZE<TAB>VOLUME_NAME[<TAB>OPTION]...
        each optional OPTION field one of `-c NAME` / `--container=NAME`, `--init-containers`,
        `--keep-existing`; a 4-field line means none.

Both files are parsed (JSON when the text starts with `{`/`[`, else YAML with a SafeLoader that
keeps the last of duplicate keys). The rules of "What changes in a pod spec" and "Where pod specs
are" (with issue 11's: shm volume mounted elsewhere, other emptyDir media, volumeClaimTemplates,
hostIPC, Argo templates as pods, free-form values, KServe components, typed Lists, native
sidecars, Windows, skip annotations) are applied to ORIGINAL's objects and the result must
deep-equal OUTPUT's objects: same documents, same key sets (key order free), same list order.
The shm volume's sizeLimit may be any spelling of the same number of bytes (with --canonical:
exactly the form DESIGN.md says shmfix writes, or the original spelling kept). Exit 0 silently
on success; otherwise exit 1 with the first difference (`doc[i] path: expected X, got Y`), or
`conflict expected` when shmfix should have refused. Exit 2: usage error or ORIGINAL unreadable
by PyYAML. Batch mode ends with `N passed, M failed`. Self-tests: Tests/verify/selftest.py.
"""
import argparse, copy, json, math, re, sys
from fractions import Fraction

import yaml

SHM_PATHS = ("/dev/shm", "/dev/shm/")
CORE_VERSIONS = {"v1", "apps/v1", "batch/v1", "extensions/v1beta1", "apps/v1beta1",
                 "apps/v1beta2", "batch/v1beta1"}
FIXED_PATHS = {"Pod": ("spec",), "PodTemplate": ("template", "spec"),
               "CronJob": ("spec", "jobTemplate", "spec", "template", "spec")}
for _k in ("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController", "Job"):
    FIXED_PATHS[_k] = ("spec", "template", "spec")
NEVER_KINDS = {"CustomResourceDefinition", "ConfigMap", "Secret", "ConstraintTemplate",
               "MutatingWebhookConfiguration", "ValidatingWebhookConfiguration",
               "ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding",
               "MutatingAdmissionPolicy", "MutatingAdmissionPolicyBinding",
               "SidecarSet", "WorkloadAllowlist"}
ARGO_KINDS = {"Workflow", "WorkflowTemplate", "ClusterWorkflowTemplate", "CronWorkflow"}


class Conflict(Exception):
    """shmfix must refuse this input (exit 2) rather than write anything."""


# ---------------------------------------------------------------- loading
class _Constructor:
    """Keeps the last duplicate key (as SafeLoader does), tolerates unknown tags and unhashable keys."""

    def construct_mapping(self, node, deep=False):
        self.flatten_mapping(node)
        out = {}
        for knode, vnode in node.value:
            key = self.construct_object(knode, deep=True)
            if isinstance(key, list):
                key = tuple(key)
            elif isinstance(key, dict):
                key = tuple(sorted(key.items(), key=repr))
            out[key] = self.construct_object(vnode, deep=deep)
        return out


def _construct_unknown(loader, tag_suffix_or_node, node=None):
    node = node if node is not None else tag_suffix_or_node
    if isinstance(node, yaml.MappingNode):
        return loader.construct_mapping(node, deep=True)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node, deep=True)
    return loader.construct_scalar(node)


class Loader(_Constructor, yaml.SafeLoader):
    """Pure-Python PyYAML."""


class FastLoader(_Constructor, getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """Same constructor over libyaml's parser (5x faster); Loader is the fallback."""


for _L in (Loader, FastLoader):
    _L.add_constructor("tag:yaml.org,2002:value", _L.construct_yaml_str)  # a plain `=`
    _L.add_constructor(None, _construct_unknown)


def load_docs(path):
    """Return the list of documents in the file (JSON values or YAML documents)."""
    with open(path, "rb") as f:
        data = f.read()
    text = data.decode("utf-8-sig")
    if text.lstrip()[:1] in ("{", "["):
        try:
            dec, docs, i = json.JSONDecoder(), [], 0
            while True:
                while i < len(text) and text[i].isspace():
                    i += 1
                if i == len(text):
                    return docs
                value, i = dec.raw_decode(text, i)
                docs.append(value)
        except ValueError:
            pass  # not plain JSON: YAML (a superset) decides
    try:
        return list(yaml.load_all(data, Loader=FastLoader))
    except yaml.YAMLError:
        return list(yaml.load_all(data, Loader=Loader))


# ---------------------------------------------------------------- quantities
_QTY = re.compile(r"^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?\d+)?$")
_MULT = {None: 1, "n": Fraction(1, 10**9), "u": Fraction(1, 10**6), "m": Fraction(1, 1000),
         "k": 10**3, "M": 10**6, "G": 10**9, "T": 10**12, "P": 10**15, "E": 10**18,
         "Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40, "Pi": 2**50, "Ei": 2**60}


def quantity(value):
    """Kubernetes quantity (str or YAML int) -> exact Fraction, or None if not a quantity."""
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        return None
    m = _QTY.match(str(value).strip())
    if not m:
        return None
    num, suf = Fraction(m.group(1)), m.group(2)
    if suf and suf[0] in "eE" and suf not in _MULT:
        return num * Fraction(10) ** int(suf[1:])
    return num * _MULT[suf]


def canonical(n):
    """The spelling DESIGN.md says shmfix writes for n bytes."""
    if n % 1024 == 0:
        k = 1
        while k < 6 and n % 1024 ** (k + 1) == 0:
            k += 1
        return "%d%s" % (n // 1024 ** k, "KMGTPE"[k - 1] + "i")
    e = 0
    while e < 6 and n % 1000 ** (e + 1) == 0:
        e += 1
    return "%d%s" % (n // 1000 ** e, ["", "k", "M", "G", "T", "P", "E"][e])


class SizeMatch:
    """Stands in the expected tree for the shm volume's sizeLimit."""

    def __init__(self, size, original, strict):
        self.size, self.original, self.strict = size, original, strict

    def accepts(self, actual):
        want = quantity(self.size)
        if not self.strict:
            return quantity(actual) == want
        if quantity(self.original) == want and type(actual) is type(self.original) and actual == self.original:
            return True  # an equal existing spelling may be kept
        return isinstance(actual, (str, int)) and not isinstance(actual, bool) \
            and str(actual) == canonical(int(want))

    def __repr__(self):
        if self.strict:
            return "%r (canonical%s)" % (canonical(int(quantity(self.size))),
                                         ", or the kept %r" % self.original if self.original is not None else "")
        return "%r (or same quantity)" % self.size


# ---------------------------------------------------------------- the rules
# A pod spec is modelled as a Pod: the containers selected for the mount, every container of the
# pod (for "mounted elsewhere"), where a volume name is looked up (in order), where a missing one
# is appended, the claim-template names that are volumes too, and which containers share a volume
# found in a given scope (for Argo, a workflow-level volume is shared by several template pods).
# Everything is decided against ORIGINAL's values and applied in place to the expected tree.

def get_path(obj, keys):
    for k in keys:
        if not isinstance(obj, dict):
            return None
        obj = obj.get(k)
    return obj


def mount_path(m):
    return m.get("mountPath") if isinstance(m, dict) else None


def has_sub_path(m):
    """A subPath/subPathExpr that selects something below the volume's root ("" and null do not)."""
    return isinstance(m, dict) and any(m.get(k) not in (None, "") for k in ("subPath", "subPathExpr"))


def mounts(c):
    vm = c.get("volumeMounts")
    return vm if isinstance(vm, list) else []


def dicts(v):
    return [x for x in v if isinstance(x, dict)] if isinstance(v, list) else []


def is_skip(meta):
    ann = meta.get("annotations") if isinstance(meta, dict) else None
    return isinstance(ann, dict) and (ann.get("shmfix.dev/skip") == "true" or ann.get("shmfix.dev/skip") is True)


class Ctr:
    """One container as its pod sees it: its own mapping plus mounts it gets from elsewhere
    (an Argo containerSet's volumeMounts)."""

    def __init__(self, m, default_name=None, inherited=()):
        self.m, self.inherited = m, list(inherited)
        self.name = m.get("name") if m.get("name") is not None else default_name

    def mounts(self):
        return mounts(self.m) + [x for x in self.inherited if isinstance(x, dict)]

    def has_shm(self):
        return any(mount_path(x) in SHM_PATHS for x in self.mounts())


class Pod:
    def __init__(self, where, selected, members, scopes, home, claims=(), claims_first=True, sharers=None):
        self.where, self.selected, self.members = where, selected, members
        self.scopes, self.home = scopes, home          # mappings owning `volumes`, lookup order
        self.claims, self.claims_first = set(claims), claims_first
        self.sharers = sharers or (lambda holder, name: self.members)


def select(regular, inits, opts):
    """Regular containers; with --init-containers all init containers too; with -c only those named
    (a native sidecar, an init container with restartPolicy Always, counts as named by -c)."""
    cands = list(regular) + (list(inits) if opts.init_containers else [])
    if not opts.containers:
        return cands
    cands += [c for c in inits if c.m.get("restartPolicy") == "Always" and c not in cands]
    return [c for c in cands if c.name in opts.containers]


def windows_affinity(aff):
    terms = get_path(aff, ("nodeAffinity", "requiredDuringSchedulingIgnoredDuringExecution", "nodeSelectorTerms"))
    if not isinstance(terms, list) or not terms:
        return False
    for t in terms:
        exprs = t.get("matchExpressions") if isinstance(t, dict) else None
        if not any(isinstance(e, dict) and e.get("key") == "kubernetes.io/os" and e.get("operator") == "In"
                   and isinstance(e.get("values"), list) and e["values"]
                   and all(v == "windows" for v in e["values"]) for e in exprs or []):
            return False
    return True


def selects_windows(node_selector, affinity, os_field):
    return (isinstance(node_selector, dict) and "windows" in (node_selector.get("kubernetes.io/os"),
                                                                node_selector.get("beta.kubernetes.io/os"))) \
        or (isinstance(os_field, dict) and os_field.get("name") == "windows") or windows_affinity(affinity)


def volume_list(holder, where):
    vols = holder.get("volumes")
    if vols is not None and not isinstance(vols, list):
        raise Conflict("%s: volumes is not a sequence" % where)
    return vols or []


def find_volume(holder, name, where):
    return next((v for v in volume_list(holder, where) if isinstance(v, dict) and v.get("name") == name), None)


def would_change(vol, opts, state):
    """Would shmfix change this emptyDir volume? Decided once, on the original values."""
    key = id(vol)
    if key not in state:
        ed = vol.get("emptyDir")
        if not isinstance(ed, dict):
            state[key] = True
        else:
            size_differs = quantity(ed.get("sizeLimit")) != quantity(opts.size)
            state[key] = ed.get("medium") != "Memory" or (size_differs and not opts.keep_existing)
    return state[key]


def fix_pod(pod, opts, state):
    """Steps 1-3 of "What changes in a pod spec" for one pod."""
    where = pod.where
    if not pod.selected:
        return
    for c in pod.selected:
        if c.m.get("volumeMounts") is not None and not isinstance(c.m["volumeMounts"], list):
            raise Conflict("%s: volumeMounts is not a sequence" % where)
    names = []
    for c in pod.selected:
        for m in c.mounts():
            if mount_path(m) in SHM_PATHS and m.get("name") not in names:
                names.append(m.get("name"))
    if len(names) > 1:
        raise Conflict("%s: volumes %r all mounted at /dev/shm" % (where, names))
    mounted = bool(names)
    name = names[0] if mounted else opts.volume_name

    def claimed():
        if mounted:
            return True  # a PersistentVolumeClaim at /dev/shm: left alone
        raise Conflict("%s: %r is a volumeClaimTemplate" % (where, name))

    if pod.claims_first and name in pod.claims:  # StatefulSet: the claim replaces a same-named volume
        if claimed():
            return
    holder, vol = None, None
    for h in pod.scopes:
        vol = find_volume(h, name, where)
        if vol is not None:
            holder = h
            break
    if vol is None and name in pod.claims:  # Argo: volumes first, then the claims
        if claimed():
            return
    if vol is None:
        change = True
    elif "emptyDir" in vol:
        ed = vol["emptyDir"]
        medium = ed.get("medium") if isinstance(ed, dict) else None
        if isinstance(medium, str) and medium.startswith("HugePages"):  # HugePages, HugePages-2Mi
            # (any other medium is the default disk or one the API server rejects: made Memory)
            if mounted:
                return
            raise Conflict("%s: volume %r is an emptyDir with medium %r" % (where, name, medium))
        change = would_change(vol, opts, state)
    elif mounted:
        return  # e.g. hostPath at /dev/shm: leave the pod spec alone
    else:
        raise Conflict("%s: volume %r exists and is not an emptyDir" % (where, name))
    for c in pod.sharers(holder if holder is not None else pod.home, name):
        for m in c.mounts():
            if isinstance(m, dict) and m.get("name") == name and (mount_path(m) not in SHM_PATHS or has_sub_path(m)):
                if not mounted or change:
                    raise Conflict("%s: volume %r is also mounted at %r%s" % (
                        where, name, mount_path(m), " with a subPath" if has_sub_path(m) else ""))
    if vol is None:
        if pod.home.get("volumes") is None:
            pod.home["volumes"] = []
        vol = {"name": name, "emptyDir": {"medium": "Memory", "sizeLimit": SizeMatch(opts.size, None, opts.canonical)}}
        pod.home["volumes"].append(vol)
        state[id(vol)] = True
    else:
        ed = vol["emptyDir"] if isinstance(vol["emptyDir"], dict) else {}
        vol["emptyDir"] = ed
        ed["medium"] = "Memory"
        if not opts.keep_existing and not isinstance(ed.get("sizeLimit"), SizeMatch):
            ed["sizeLimit"] = SizeMatch(opts.size, ed.get("sizeLimit"), opts.canonical)
    for c in pod.selected:
        if not c.has_shm():
            if not isinstance(c.m.get("volumeMounts"), list):
                c.m["volumeMounts"] = []
            c.m["volumeMounts"].append({"name": name, "mountPath": "/dev/shm"})  # in place: aliases see it


def claim_names(templates):
    return {get_path(t, ("metadata", "name")) for t in dicts(templates)} - {None}


def k8s_pod(spec, opts, where, main=(), claims=(), need_list=True):
    """A Kubernetes PodSpec (or one inlined, as in KServe): None when it is left alone."""
    if not isinstance(spec, dict):
        return None
    cs = spec.get("containers")
    listed = isinstance(cs, list) and cs and all(isinstance(c, dict) for c in cs)
    if need_list and not listed:
        return None
    if spec.get("hostIPC") is True or selects_windows(spec.get("nodeSelector"), spec.get("affinity"), spec.get("os")):
        return None
    regular = list(main) + [Ctr(c) for c in dicts(cs)]
    inits = [Ctr(c) for c in dicts(spec.get("initContainers"))]
    others = [Ctr(c) for c in dicts(spec.get("ephemeralContainers"))]
    return Pod(where, select(regular, inits, opts), regular + inits + others, [spec], spec, claims)


def fix_by_shape(node, opts, state, where, ancestors):
    """Every mapping whose `containers` is a list of mappings is a pod spec; the search does not
    descend into one it found, nor into free-form `values` / `valuesObject`. ancestors: the
    (collection, key) pairs above node. A pod spec reached as X.spec has X as its pod template
    (whose annotations count), and X's parent may own volumeClaimTemplates (as a Kruise
    StatefulSet/CloneSet or a LeaderWorkerSet template does)."""
    if isinstance(node, dict):
        cs = node.get("containers")
        if isinstance(cs, list) and cs and all(isinstance(c, dict) for c in cs):
            claims = ()
            if ancestors and ancestors[-1][1] == "spec":
                if is_skip(ancestors[-1][0].get("metadata")):
                    return
                owner = ancestors[-2][0] if len(ancestors) > 1 else None
                if isinstance(owner, dict):
                    claims = claim_names(owner.get("volumeClaimTemplates"))
            pod = k8s_pod(node, opts, where, claims=claims)
            if pod:
                fix_pod(pod, opts, state)
            return
        for k, v in node.items():
            if k not in ("values", "valuesObject"):
                fix_by_shape(v, opts, state, "%s.%s" % (where, k), ancestors + [(node, k)])
    elif isinstance(node, list):
        for i, v in enumerate(node):
            fix_by_shape(v, opts, state, "%s[%d]" % (where, i), ancestors + [(node, i)])


def fix_argo(obj, kind, opts, state, where):
    shared = kind in ("Workflow", "CronWorkflow")
    path = ("spec", "workflowSpec") if kind == "CronWorkflow" else ("spec",)
    wf = get_path(obj, path)
    where += "." + ".".join(path)
    if not isinstance(wf, dict):
        return
    claims = claim_names(wf.get("volumeClaimTemplates")) if shared else set()
    pods = []   # (pod or None when left alone, template, members)
    for i, t in enumerate(wf.get("templates") if isinstance(wf.get("templates"), list) else []):
        if not isinstance(t, dict):
            continue
        mains = [Ctr(t[k], "main") for k in ("container", "script") if isinstance(t.get(k), dict)]
        cset = t.get("containerSet") if isinstance(t.get("containerSet"), dict) else {}
        mains += [Ctr(c, None, mounts(cset)) for c in dicts(cset.get("containers"))]
        if not mains:
            continue
        members = mains + [Ctr(c) for k in ("initContainers", "sidecars") for c in dicts(t.get(k))]
        ns = t.get("nodeSelector") if isinstance(t.get("nodeSelector"), dict) and t["nodeSelector"] else wf.get("nodeSelector")
        aff = t.get("affinity") if t.get("affinity") is not None else wf.get("affinity")
        alone = selects_windows(ns, aff, None) or is_skip(t.get("metadata")) or is_skip(wf.get("podMetadata"))
        pod = None if alone else Pod("%s.templates[%d]" % (where, i), select(mains, [], opts), members,
                                     [t, wf] if shared else [t], wf if shared else t, claims, claims_first=True)
        pods.append((pod, t, members))

    def sharers(holder, name):
        if holder is not wf:
            return next(m for _, t, m in pods if t is holder)
        return [c for _, t, m in pods if not any(isinstance(v, dict) and v.get("name") == name
                                                  for v in (t.get("volumes") if isinstance(t.get("volumes"), list) else []))
                for c in m]

    for pod, _, _ in pods:
        if pod:
            pod.sharers = sharers
            fix_pod(pod, opts, state)


KSERVE_MAIN = ("model", "sklearn", "xgboost", "tensorflow", "pytorch", "triton", "onnx", "huggingface",
               "pmml", "lightgbm", "paddle", "alibi", "art")


def fix_kserve(obj, opts, state, where):
    spec = obj.get("spec")
    for comp in ("predictor", "transformer", "explainer"):
        c = spec.get(comp) if isinstance(spec, dict) else None
        if not isinstance(c, dict):
            continue
        main = [Ctr(c[k], "kserve-container") for k in KSERVE_MAIN if isinstance(c.get(k), dict)]
        pod = k8s_pod(c, opts, "%s.spec.%s" % (where, comp), main=main, need_list=False)
        if pod:
            fix_pod(pod, opts, state)
        if comp == "predictor":  # multi-node: the worker pods' spec
            pod = k8s_pod(c.get("workerSpec"), opts, "%s.spec.predictor.workerSpec" % where)
            if pod:
                fix_pod(pod, opts, state)


NEVER_GROUP_KINDS = {("helm.toolkit.fluxcd.io", "HelmRelease"), ("argoproj.io", "Application"),
                     ("argoproj.io", "ApplicationSet")} | {
    ("monitoring.coreos.com", k) for k in ("Prometheus", "PrometheusAgent", "Alertmanager", "ThanosRuler")}


def fix_resource(obj, opts, state, where, kind=None, api=None):
    """Mutate one parsed document/item in place as shmfix should. kind/api: a typed list's
    defaults for an item that lacks them."""
    if not isinstance(obj, dict):
        return
    kind = obj.get("kind") if obj.get("kind") is not None else kind
    api = obj.get("apiVersion") if obj.get("apiVersion") is not None else api
    if not isinstance(kind, str):
        return
    group = api.rpartition("/")[0] if isinstance(api, str) else ""
    if kind.endswith("List") and isinstance(obj.get("items"), list):
        typed = kind != "List"
        for i, item in enumerate(obj["items"]):
            fix_resource(item, opts, state, "%s.items[%d]" % (where, i),
                         kind[:-4] if typed else None, api if typed else None)
        return
    if is_skip(obj.get("metadata")):
        return
    if kind in NEVER_KINDS or (group, kind) in NEVER_GROUP_KINDS or group.endswith("kyverno.io") \
            or group.endswith("gatekeeper.sh"):
        return
    if kind in ARGO_KINDS and group == "argoproj.io":
        fix_argo(obj, kind, opts, state, where)
    elif kind == "InferenceService" and group == "serving.kserve.io":
        fix_kserve(obj, opts, state, where)
    elif kind in FIXED_PATHS and api in CORE_VERSIONS:
        path = FIXED_PATHS[kind]
        if kind != "Pod" and is_skip(get_path(obj, path[:-1] + ("metadata",))):
            return
        claims = claim_names(get_path(obj, ("spec", "volumeClaimTemplates"))) if kind == "StatefulSet" else ()
        pod = k8s_pod(get_path(obj, path), opts, where + "." + ".".join(path), claims=claims)
        if pod:
            fix_pod(pod, opts, state)
    elif "spec" in obj:
        fix_by_shape(obj["spec"], opts, state, where + ".spec", [(obj, "spec")])


# ---------------------------------------------------------------- comparison
def show(v):
    s = repr(v)
    return s if len(s) <= 120 else s[:117] + "..."


def diff(exp, act, path):
    """First difference between expected and actual trees, or None."""
    if isinstance(exp, SizeMatch):
        return None if exp.accepts(act) else "%s: expected %r, got %s" % (path, exp, show(act))
    if isinstance(exp, dict) and isinstance(act, dict):
        for k in exp:
            if k not in act:
                return "%s: missing key %r (expected %s)" % (path, k, show(exp[k]))
            d = diff(exp[k], act[k], "%s.%s" % (path, k))
            if d:
                return d
        extra = [k for k in act if k not in exp]
        return "%s: unexpected key %r = %s" % (path, extra[0], show(act[extra[0]])) if extra else None
    if isinstance(exp, list) and isinstance(act, list):
        for i, (e, a) in enumerate(zip(exp, act)):
            d = diff(e, a, "%s[%d]" % (path, i))
            if d:
                return d
        if len(exp) != len(act):
            i = min(len(exp), len(act))
            more = ("missing item %s" % show(exp[i])) if len(exp) > i else ("extra item %s" % show(act[i]))
            return "%s: expected %d items, got %d (%s)" % (path, len(exp), len(act), more)
        return None
    same_nan = isinstance(exp, float) and isinstance(act, float) and math.isnan(exp) and math.isnan(act)
    if type(exp) is type(act) and (exp == act or same_nan):
        return None
    return "%s: expected %s, got %s" % (path, show(exp), show(act))


def verify(original, output, opts):
    """Return None when OUTPUT is right for ORIGINAL, else a one-line message."""
    try:
        docs = load_docs(original)
    except (yaml.YAMLError, UnicodeDecodeError, OSError) as e:
        return "unverifiable: PyYAML cannot load %s: %s" % (original, " ".join(str(e).split()))
    expected = copy.deepcopy(docs)  # keeps aliasing: an anchored node is edited once, as in text
    state = {}  # id(volume) -> would shmfix change it (decided on the original values)
    try:
        for i, d in enumerate(expected):
            fix_resource(d, opts, state, "doc[%d]" % i)
    except Conflict as e:
        return "conflict expected (shmfix should refuse): %s" % e
    except RecursionError:
        return "unverifiable: %s nests too deeply (or an alias contains itself)" % original
    try:
        actual = load_docs(output)
    except (yaml.YAMLError, UnicodeDecodeError, OSError) as e:
        return "output does not load: %s" % " ".join(str(e).split())
    for i, (e, a) in enumerate(zip(expected, actual)):
        if isinstance(e, dict) and e.get("kind") == "ResourceList" and isinstance(a, dict):
            e, a = dict(e), dict(a)  # KRM: `results` may be added by the function
            e.pop("results", None), a.pop("results", None)
        d = diff(e, a, "doc[%d]" % i)
        if d:
            return d
    if len(expected) != len(actual):
        return "expected %d documents, got %d" % (len(expected), len(actual))
    return None


def add_rule_options(p):
    p.add_argument("-c", "--container", dest="containers", action="append", default=[], metavar="NAME",
                   help="only containers named so get the mount (repeatable)")
    p.add_argument("--init-containers", action="store_true", help="also mount into initContainers")
    p.add_argument("--keep-existing", action="store_true", help="never change an existing sizeLimit")


class _LineOptions(argparse.ArgumentParser):
    def error(self, message):
        raise ValueError(message)


def line_options(fields, canonical):
    """A batch line's options: SIZE, VOLUME_NAME, then optional fields each holding one option
    (`--container=NAME`, `-c NAME`, `--init-containers`, `--keep-existing`)."""
    p = _LineOptions(add_help=False)
    add_rule_options(p)
    tokens = [tok for f in fields[2:] if f.strip() for tok in f.split()]
    o = p.parse_args(tokens)
    o.size, o.volume_name, o.canonical = fields[0], fields[1] or "dshm", canonical
    return o


def main(argv):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--size")
    p.add_argument("--volume-name", default="dshm")
    p.add_argument("--canonical", action="store_true",
                   help="written sizeLimit must be DESIGN.md's canonical spelling")
    add_rule_options(p)
    p.add_argument("--batch", metavar="LISTFILE")
    p.add_argument("files", nargs="*")
    a = p.parse_args(argv)
    if a.batch:
        passed = failed = 0
        with open(a.batch, encoding="utf-8") as f:
            for line in f:
                if not line.strip() or line.startswith("#"):
                    continue
                cols = line.rstrip("\r\n").split("\t") + ["", "", ""]
                try:
                    opts = line_options(cols[2:], a.canonical)
                    msg = ("bad size %r" % cols[2]) if not quantity(cols[2]) else verify(cols[0], cols[1], opts)
                except ValueError as e:
                    msg = "bad options %r: %s" % (cols[4:], e)
                if msg:
                    failed += 1
                    print("FAIL %s -> %s: %s" % (cols[0], cols[1], msg))
                else:
                    passed += 1
        print("%d passed, %d failed" % (passed, failed))
        return 1 if failed else 0
    if len(a.files) != 2 or not a.size or not quantity(a.size) or quantity(a.size) <= 0:
        p.error("need --size QUANTITY (e.g. 2Gi) and ORIGINAL OUTPUT")
    msg = verify(a.files[0], a.files[1], a)
    if msg:
        print(msg)
        return 2 if msg.startswith("unverifiable") else 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
