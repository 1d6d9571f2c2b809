#!/usr/bin/env python3
"""Independent oracle for shmfix's YAML output (written from DESIGN.md, shares no code with it).

    verify_fix.py [--volume-name dshm] --size 2Gi [--canonical] ORIGINAL OUTPUT
    verify_fix.py [--canonical] --batch LISTFILE   (lines: ORIGINAL<TAB>OUTPUT<TAB>SIZE<TAB>VOLUME_NAME)

Both files are parsed (JSON when the text starts with `{`/`[`, else YAML with a SafeLoader that
keeps the last of duplicate keys). The rules of "What changes in a pod spec" are applied to
ORIGINAL's objects and the result must deep-equal OUTPUT's objects: same documents, same key sets
(key order free), same list order. The shm volume's sizeLimit may be any spelling of the same
number of bytes (with --canonical: exactly the form DESIGN.md says shmfix writes, or the original
spelling kept). Exit 0 silently on success; otherwise exit 1 with the first difference
(`doc[i] path: expected X, got Y`), or `conflict expected` when shmfix should have refused.
Exit 2: usage error or ORIGINAL unreadable by PyYAML. Batch mode ends with `N passed, M failed`.
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
def get_path(obj, keys):
    for k in keys:
        if not isinstance(obj, dict):
            return None
        obj = obj.get(k)
    return obj


def mount_path(m):
    return m.get("mountPath") if isinstance(m, dict) else None


def mounts(c):
    vm = c.get("volumeMounts")
    return vm if isinstance(vm, list) else []


def fix_pod(volume_holder, containers, others, opts, where):
    """Apply steps 1-3 to one pod spec. volume_holder: the mapping owning `volumes`;
    containers: the selected container mappings; others: every other container (for 'elsewhere')."""
    if not containers:
        return
    for c in containers:
        if c.get("volumeMounts") is not None and not isinstance(c["volumeMounts"], list):
            raise Conflict("%s: volumeMounts is not a sequence" % where)
    names = []
    for c in containers:
        for m in mounts(c):
            if mount_path(m) in SHM_PATHS and m.get("name") not in names:
                names.append(m.get("name"))
    if len(names) > 1:
        raise Conflict("%s: volumes %r all mounted at /dev/shm" % (where, names))
    vol_name = names[0] if names else opts.volume_name
    volumes = volume_holder.get("volumes")
    if volumes is not None and not isinstance(volumes, list):
        raise Conflict("%s: volumes is not a sequence" % where)
    existing = next((v for v in volumes or [] if isinstance(v, dict) and v.get("name") == vol_name), None)
    if existing is None:
        if volumes is None:
            volumes = volume_holder["volumes"] = []
        volumes.append({"name": vol_name, "emptyDir": {
            "medium": "Memory", "sizeLimit": SizeMatch(opts.size, None, opts.canonical)}})
    elif "emptyDir" in existing:
        if not names:
            for c in containers + others:
                for m in mounts(c):
                    if isinstance(m, dict) and m.get("name") == vol_name and mount_path(m) not in SHM_PATHS:
                        raise Conflict("%s: volume %r is mounted at %r" % (where, vol_name, mount_path(m)))
        ed = existing["emptyDir"] if isinstance(existing["emptyDir"], dict) else {}
        existing["emptyDir"] = ed
        ed["medium"] = "Memory"
        if not isinstance(ed.get("sizeLimit"), SizeMatch):  # (already set if reached via an alias)
            ed["sizeLimit"] = SizeMatch(opts.size, ed.get("sizeLimit"), opts.canonical)
    elif names:
        return  # e.g. hostPath at /dev/shm: leave the pod spec alone
    else:
        raise Conflict("%s: volume %r exists and is not an emptyDir" % (where, vol_name))
    for c in containers:
        if not any(mount_path(m) in SHM_PATHS for m in mounts(c)):
            if not isinstance(c.get("volumeMounts"), list):
                c["volumeMounts"] = []
            c["volumeMounts"].append({"name": vol_name, "mountPath": "/dev/shm"})  # in place: aliases see it


def is_windows(spec):
    ns = spec.get("nodeSelector") if isinstance(spec, dict) else None
    return isinstance(ns, dict) and ns.get("kubernetes.io/os") == "windows"


def fix_pod_spec(spec, opts, where):
    cs = spec.get("containers") if isinstance(spec, dict) else None
    if not isinstance(cs, list) or not cs or not all(isinstance(c, dict) for c in cs) or is_windows(spec):
        return
    others = [c for k in ("initContainers", "ephemeralContainers")
              for c in (spec.get(k) if isinstance(spec.get(k), list) else []) if isinstance(c, dict)]
    fix_pod(spec, cs, others, opts, where)


def fix_by_shape(node, opts, where):
    if isinstance(node, dict):
        cs = node.get("containers")
        if isinstance(cs, list) and cs and all(isinstance(c, dict) for c in cs):
            fix_pod_spec(node, opts, where)
            return
        for k, v in node.items():
            fix_by_shape(v, opts, "%s.%s" % (where, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            fix_by_shape(v, opts, "%s[%d]" % (where, i))


def fix_argo(obj, opts, where):
    wf = get_path(obj, ("spec", "workflowSpec") if obj["kind"] == "CronWorkflow" else ("spec",))
    if not isinstance(wf, dict) or is_windows(wf):
        return
    cs = []
    for t in wf.get("templates") if isinstance(wf.get("templates"), list) else []:
        if not isinstance(t, dict):
            continue
        cs += [t[k] for k in ("container", "script") if isinstance(t.get(k), dict)]
        inner = get_path(t, ("containerSet", "containers"))
        cs += [c for c in inner if isinstance(c, dict)] if isinstance(inner, list) else []
    fix_pod(wf, cs, [], opts, where)


def fix_resource(obj, opts, where):
    """Mutate one parsed document/item in place as shmfix should."""
    if not isinstance(obj, dict) or not isinstance(obj.get("kind"), str):
        return
    kind, api = obj["kind"], obj.get("apiVersion")
    group = api.rpartition("/")[0] if isinstance(api, str) else ""
    if (kind == "List" or kind.endswith("List")) and isinstance(obj.get("items"), list):
        for i, item in enumerate(obj["items"]):
            fix_resource(item, opts, "%s.items[%d]" % (where, i))
        return
    ann = get_path(obj, ("metadata", "annotations"))
    if isinstance(ann, dict) and (ann.get("shmfix.dev/skip") == "true" or ann.get("shmfix.dev/skip") is True):
        return
    if kind in NEVER_KINDS or group.endswith("kyverno.io") or group.endswith("gatekeeper.sh"):
        return
    if kind in ARGO_KINDS and group == "argoproj.io":
        fix_argo(obj, opts, where)
    elif kind in FIXED_PATHS and api in CORE_VERSIONS:
        spec = get_path(obj, FIXED_PATHS[kind])
        fix_pod_spec(spec, opts, where + "." + ".".join(FIXED_PATHS[kind]))
    elif "spec" in obj:
        fix_by_shape(obj["spec"], opts, where + ".spec")


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
    try:
        for i, d in enumerate(expected):
            fix_resource(d, opts, "doc[%d]" % i)
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


def main(argv):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--size")
    p.add_argument("--volume-name", default="dshm")
    p.add_argument("--canonical", action="store_true",
                   help="written sizeLimit must be DESIGN.md's canonical spelling")
    p.add_argument("--batch", metavar="LISTFILE")
    p.add_argument("files", nargs="*")
    a = p.parse_args(argv)
    if a.batch:
        passed = failed = 0
        with open(a.batch, encoding="utf-8") as f:
            for line in f:
                if not line.strip() or line.startswith("#"):
                    continue
                cols = line.rstrip("\r\n").split("\t") + ["", ""]
                opts = argparse.Namespace(size=cols[2], volume_name=cols[3] or "dshm", canonical=a.canonical)
                msg = ("bad size %r" % cols[2]) if not quantity(cols[2]) else verify(cols[0], cols[1], opts)
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
