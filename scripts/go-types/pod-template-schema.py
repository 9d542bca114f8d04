#!/usr/bin/env python3
"""Writes the Go type schema of v1.PodTemplateSpec that PodTemplateHash prints as go-spew would.

The Deployment controller names ReplicaSets by a hash of the template *as a Go value printed by go-spew*
(field names, types, nil pointers and all), so kubefake needs the exact field list of every Go struct reachable from
PodTemplateSpec, in declaration order. This script reads them from the Go sources of the release kube-controller-manager
was built from and writes a JSON schema (controllers/src/main/resources/kubefake/controllers/common/pod-template-go-types.json).

Usage: pod-template-schema.py API_CHECKOUT APIMACHINERY_CHECKOUT API_VERSION OUTPUT
  e.g. after `git archive` of kubernetes/api and kubernetes/apimachinery at v0.33.9.
A line-based reader suffices: the API types are gofmt'ed, one field per line.
"""
import json
import re
import sys
from pathlib import Path

STRUCT_START = re.compile(r'^type (\w+) struct \{\s*$')
TYPE_DECL = re.compile(r'^type (\w+) (\S.*?)\s*(//.*)?$')
FIELD = re.compile(r'^\s+(?:(\w+)\s+)?(\S+)(?:\s+`([^`]*)`)?\s*(//.*)?$')
JSON_TAG = re.compile(r'json:"([^"]*)"')
BUILTINS = {'string', 'bool', 'int', 'int8', 'int16', 'int32', 'int64', 'uint', 'uint8', 'uint16', 'uint32', 'uint64',
            'float32', 'float64', 'byte'}

# Go package path → (reflect package name, import aliases used in core/v1/types.go)
PACKAGES = {
    'core/v1': 'v1',
    'meta/v1': 'v1',
    'resource': 'resource',
    'intstr': 'intstr',
    'types': 'types',
}
ALIASES = {'metav1': 'meta/v1', 'resource': 'resource', 'intstr': 'intstr', 'types': 'types'}


def parse(path, package):
    """Every type declaration of a Go file: name → ('struct', [(go name, type expr, tag)]) or ('alias', type expr)."""
    decls = {}
    lines = Path(path).read_text().splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        m = STRUCT_START.match(line)
        if m:
            fields = []
            i += 1
            in_comment = False
            while not lines[i].startswith('}'):
                f = lines[i].strip()
                if f.startswith('/*'):
                    in_comment = not f.endswith('*/')
                elif in_comment:
                    in_comment = not f.endswith('*/')
                elif f and not f.startswith('//'):
                    fm = FIELD.match(lines[i])
                    if not fm:
                        raise SystemExit(f'{path}:{i + 1}: cannot read field: {lines[i]}')
                    name, typ, tag = fm.group(1), fm.group(2), fm.group(3) or ''
                    if name is None:  # embedded: the field is named after the type
                        name = typ.lstrip('*').split('.')[-1]
                    fields.append((name, typ, tag))
                i += 1
            decls[m.group(1)] = ('struct', fields)
        else:
            m = TYPE_DECL.match(line)
            if m and not m.group(2).startswith(('struct', 'interface', '(', '=')):
                decls[m.group(1)] = ('alias', m.group(2))
        i += 1
    return {f'{package}.{k}': v for k, v in decls.items()}


def resolve(expr, package):
    """A type expression of a package as a reference: builtin name, package-qualified name, or {ptr|slice|map}."""
    if expr.startswith('*'):
        return {'ptr': resolve(expr[1:], package)}
    if expr.startswith('[]'):
        return {'slice': resolve(expr[2:], package)}
    if expr.startswith('map['):
        depth, j = 0, 3
        for j in range(3, len(expr)):
            if expr[j] == '[':
                depth += 1
            elif expr[j] == ']':
                depth -= 1
                if depth == 0:
                    break
        return {'map': [resolve(expr[4:j], package), resolve(expr[j + 1:], package)]}
    if expr in BUILTINS:
        return 'uint8' if expr == 'byte' else expr
    if '.' in expr:
        alias, name = expr.split('.', 1)
        if alias not in ALIASES:
            raise SystemExit(f'unknown package {alias} in {expr}')
        return f'{ALIASES[alias]}.{name}'
    return f'{package}.{expr}'


def main():
    api, apimachinery, version, output = sys.argv[1:5]
    decls = {}
    decls.update(parse(Path(api) / 'core/v1/types.go', 'core/v1'))
    decls.update(parse(Path(apimachinery) / 'pkg/apis/meta/v1/types.go', 'meta/v1'))
    decls.update(parse(Path(apimachinery) / 'pkg/util/intstr/intstr.go', 'intstr'))
    decls.update(parse(Path(apimachinery) / 'pkg/types/uid.go', 'types'))
    special = {
        # kept as the printer knows them: their Go values are not their JSON
        'meta/v1.Time': {'name': 'v1.Time', 'kind': 'time'},
        'resource.Quantity': {'name': 'resource.Quantity', 'kind': 'quantity'},
        'intstr.IntOrString': {'name': 'intstr.IntOrString', 'kind': 'intorstring'},
    }
    schema = {}

    def visit(ref):
        if isinstance(ref, dict):
            for v in ([ref['map'][0], ref['map'][1]] if 'map' in ref else [next(iter(ref.values()))]):
                visit(v)
            return
        if ref in BUILTINS or ref in schema:
            return
        if ref in special:
            schema[ref] = special[ref]
            return
        if ref not in decls:
            raise SystemExit(f'no declaration of {ref}')
        package, name = ref.rsplit('.', 1)
        kind, body = decls[ref]
        entry = {'name': f'{PACKAGES[package]}.{name}'}
        schema[ref] = entry
        if kind == 'struct':
            entry['kind'] = 'struct'
            entry['fields'] = []
            for go_name, typ, tag in body:
                m = JSON_TAG.search(tag)
                json_name = m.group(1).split(',')[0] if m else go_name
                inline = bool(m) and ',inline' in m.group(1)
                if m and m.group(1) == '-':
                    json_name = None
                field_ref = resolve(typ, package)
                entry['fields'].append({'go': go_name, 'json': json_name, 'inline': inline, 'type': field_ref})
                visit(field_ref)
        else:
            underlying = resolve(body, package)
            if isinstance(underlying, str) and underlying in BUILTINS:
                entry['kind'] = underlying
            elif isinstance(underlying, dict) and 'map' in underlying:
                entry['kind'] = 'map'
                entry['key'], entry['elem'] = underlying['map']
            elif isinstance(underlying, dict) and 'slice' in underlying:
                entry['kind'] = 'slice'
                entry['elem'] = underlying['slice']
            else:
                raise SystemExit(f'unsupported declaration {ref}: {body}')
            visit(underlying)

    visit('core/v1.PodTemplateSpec')
    out = {'comment': f'Generated by scripts/go-types/pod-template-schema.py from k8s.io/api and k8s.io/apimachinery {version}.',
           'root': 'core/v1.PodTemplateSpec', 'types': dict(sorted(schema.items()))}
    Path(output).parent.mkdir(parents=True, exist_ok=True)
    lines = ['{"comment": ' + json.dumps(out['comment']) + ',', ' "root": ' + json.dumps(out['root']) + ',', ' "types": {']
    items = list(out['types'].items())
    for i, (k, v) in enumerate(items):  # one type a line: diffs between releases stay readable
        lines.append('  ' + json.dumps(k) + ': ' + json.dumps(v, separators=(',', ':')) + (',' if i < len(items) - 1 else ''))
    lines += [' }', '}']
    Path(output).write_text('\n'.join(lines) + '\n')
    print(f'{len(schema)} types written to {output}')


if __name__ == '__main__':
    main()
