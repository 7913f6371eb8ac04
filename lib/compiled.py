"""Querysets compiled to SQL once, then run again with other ids (issue 24).

For the small, indexed reads of the case page, Django's compiling of a queryset (`SQLCompiler.as_sql`) cost more than
running it. `Compiled(build)` keeps the SQL of `build(...)` per database and shape, and runs it again with the ids of
each call in the places the stand-ins took; the rows become model instances exactly as the ORM makes them
(`select_related`, `only` and annotations included), so a page reads them as before.

Only for querysets whose SQL depends on nothing but the ids (and words) given (a list of ids is one shape per
length): never on the time, the user or a setting, which would be frozen at the first call. The check at compile time
refuses a queryset in which a value given is not among the parameters, or a stand-in-like value it cannot place. What
is kept is the SQL text and the compiler's description of its columns: no row, no value of a call.
"""

import copy

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models.query import get_related_populators


STR = "\x00compiled stand-in "  # a word's stand-in starts with this (a NUL: never in a word Harbour stores)


class Compiled:
    """`Compiled(build)(case.id, [1, 2, 3])`: the instances `build(case.id, [1, 2, 3])` would give, its SQL compiled
    once per database and number of ids. `build` takes ints, lists of ints or words (str, compared as they are: not
    `__in`, not a pattern) and returns a QuerySet of model instances (not values())."""

    def __init__(self, build):
        self.build = build
        self._held = {}

    def __call__(self, *values, using=DEFAULT_DB_ALIAS, known=None):
        """The instances, in the queryset's order. `known`: {field name: instance} set on every row as the related
        object it is (as a related manager does with the instance it belongs to)."""
        if any(isinstance(v, (list, tuple)) and not v for v in values):
            return list(self.build(*values).using(using))  # no ids: the ORM says what that means (often no query)
        shape = tuple(len(v) if isinstance(v, (list, tuple)) else STR if isinstance(v, str) else None for v in values)
        key = (using, connections[using].vendor, shape)
        held = self._held.get(key)
        if held is None:
            held = self._held[key] = _Held(self.build, shape, using)
        return held.run(values, known)


class _Held:
    def __init__(self, build, shape, using):
        counter = iter(range(-1, -10_000, -1))  # stand-ins no real id (or word) takes
        stand_ins = [next(counter) if n is None else f"{STR}{next(counter)}" if n == STR
                     else [next(counter) for _ in range(n)] for n in shape]
        queryset = build(*stand_ins).using(using)
        compiler = queryset.query.get_compiler(using=using)
        sql, params = compiler.as_sql()
        flat = [v for s in stand_ins for v in (s if isinstance(s, list) else [s])]
        self.slots = {stand_in: [] for stand_in in flat}  # where each value goes (an id may be asked twice)
        for i, p in enumerate(params):
            if (isinstance(p, int) and not isinstance(p, bool) and p < 0) or (isinstance(p, str) and STR in p):
                if p not in self.slots:
                    raise RuntimeError(f"compiled query: a parameter it cannot place ({params!r})")
                self.slots[p].append(i)
        if not all(self.slots.values()):
            raise RuntimeError(f"compiled query: a value it was given is not among its parameters ({params!r})")
        self.using, self.sql, self.params, self.compiler = using, sql, list(params), compiler
        self.order = flat
        select, klass_info = compiler.select, compiler.klass_info
        self.model = klass_info["model"]
        fields = klass_info["select_fields"]
        self.start, self.end = fields[0], fields[-1] + 1
        self.init_list = [f[0].target.attname for f in select[self.start:self.end]]
        self.populators = get_related_populators(klass_info, select, using)
        self.annotations = dict(compiler.annotation_col_map or {})
        self.trim = compiler.col_count if compiler.has_extra_select else None

    def run(self, values, known):
        params = list(self.params)
        given = [v for value in values for v in (value if isinstance(value, (list, tuple)) else [value])]
        for stand_in, value in zip(self.order, given, strict=True):
            for i in self.slots[stand_in]:
                params[i] = str(value) if isinstance(stand_in, str) else int(value)
        connection = connections[self.using]  # this thread's: the converters below read it, never the compiling one
        with connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            rows = cursor.fetchall()
        compiler = copy.copy(self.compiler)
        compiler.connection = connection
        if self.trim is not None:
            rows = [row[:self.trim] for row in rows]
        objects = []
        set_known = [(self.model._meta.get_field(name), obj) for name, obj in (known or {}).items()]
        for row in compiler.results_iter(results=[rows]):
            obj = self.model.from_db(self.using, self.init_list, row[self.start:self.end])
            for populator in self.populators:
                populator.populate(row, obj)
            for name, position in self.annotations.items():
                setattr(obj, name, row[position])
            for field, related in set_known:
                if not field.is_cached(obj):
                    field.set_cached_value(obj, related)
            objects.append(obj)
        return objects
