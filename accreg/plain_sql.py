"""Model rows read and written by plain SQL statements, for the few queries every request makes.

Building and compiling an ORM query costs three to four times what the database takes to answer
it (issue 16, `bench/record_api_profile.py`): the token lookup, reading the record and saving a
section run on every accountant request. Here the SELECT of a model's columns is written once per
model, and each value passes through the same converters the ORM applies (JSON, datetimes on
SQLite), so what comes back is an ordinary model instance. Anything else uses the ORM.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar
from weakref import WeakKeyDictionary

from django.db import DEFAULT_DB_ALIAS, connections, models
from django.db.backends.base.base import BaseDatabaseWrapper

M = TypeVar("M", bound=models.Model)
Converter = Callable[[Any, Any, Any], Any]

_columns: dict[type[models.Model], tuple[str, list[str]]] = {}
_converters: WeakKeyDictionary[BaseDatabaseWrapper, dict[type[models.Model], list[tuple[int, list[Converter], Any]]]]
_converters = WeakKeyDictionary()


def _connection() -> BaseDatabaseWrapper:
    return connections[DEFAULT_DB_ALIAS]


def _cursor(connection: BaseDatabaseWrapper) -> Any:
    """A cursor for the next statement, wrapped as `connection.cursor()` wraps one (errors,
    query logging and capture), but over one database cursor kept per open connection: making a
    psycopg cursor cost an eighth of the token lookup (py-spy, issue 16). Not closed after use:
    the next statement reuses it, and it goes with its connection."""
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    kept = getattr(connection, "_plain_sql_cursor", None)
    if kept is None or kept[0] is not connection.connection or getattr(kept[1], "closed", False):
        with connection.wrap_database_errors:
            kept = (connection.connection, connection.create_cursor())
        connection._plain_sql_cursor = kept  # type: ignore[attr-defined]
    with connection.wrap_database_errors:
        return connection._prepare_cursor(kept[1])  # type: ignore[attr-defined]  # Django, as cursor() does


def _select(model: type[M]) -> tuple[str, list[str]]:
    """`SELECT <every column> FROM <table>` and the attribute names in the same order."""
    if model not in _columns:
        fields = model._meta.concrete_fields
        quote = _connection().ops.quote_name
        columns = ", ".join(quote(str(f.column)) for f in fields)
        _columns[model] = (f"SELECT {columns} FROM {quote(model._meta.db_table)}", [f.attname for f in fields])
    return _columns[model]


def _converters_of(model: type[M]) -> list[tuple[int, list[Converter], Any]]:
    connection = _connection()
    per_model = _converters.setdefault(connection, {})
    if model not in per_model:
        found = []
        for index, field in enumerate(model._meta.concrete_fields):
            column = field.get_col(model._meta.db_table)
            functions = connection.ops.get_db_converters(column) + field.get_db_converters(connection)
            if functions:
                found.append((index, functions, column))
        per_model[model] = found
    return per_model[model]


def fetch_one(
    model: type[M],
    where: str,
    params: Sequence[Any],
    *,
    for_update: bool = False,
    annotations: dict[str, str] | None = None,
) -> M | None:
    """The first row of `model` matching `where` (SQL with %s placeholders), as a model instance.
    `annotations` are further SQL expressions (a correlated subquery, say) selected in the same
    statement and set as attributes of the instance under their names, as the ORM's annotate()."""
    connection = _connection()
    select, names = _select(model)
    extra = annotations or {}
    if extra:
        head, _, table = select.partition(" FROM ")
        select = f"{head}, {', '.join(extra.values())} FROM {table}"
    sql = f"{select} WHERE {where}"
    if for_update and connection.features.has_select_for_update:
        sql += " FOR UPDATE"
    cursor = _cursor(connection)
    cursor.execute(sql, params)
    row = cursor.fetchone()
    if row is None:
        return None
    values = list(row[: len(names)])
    for index, functions, column in _converters_of(model):
        for function in functions:
            values[index] = function(values[index], column, connection)
    instance = model.from_db(connection.alias, names, values)
    for name, value in zip(extra, row[len(names) :], strict=True):
        setattr(instance, name, value)
    return instance


def update_fields(instance: models.Model, names: Sequence[str], *, only_if: dict[str, Any] | None = None) -> bool:
    """`instance.save(update_fields=names)` for plain fields, as one UPDATE, without signals. A
    field with `auto_now` is set to now first, as save() would. With `only_if` ({field: value}),
    the row is updated only if those columns still hold those values; returns whether it was."""
    connection = _connection()
    opts = instance._meta
    quote = connection.ops.quote_name
    assignments, params = [], []
    for name in names:
        field = opts.get_field(name)
        assert isinstance(field, models.Field) and field.column
        value = field.pre_save(instance, add=False)
        assignments.append(f"{quote(field.column)} = %s")
        params.append(field.get_db_prep_save(value, connection))
    params.append(instance.pk)
    pk = str(opts.pk.column) if opts.pk else "id"
    conditions = [f"{quote(pk)} = %s"]
    for name, value in (only_if or {}).items():
        field = opts.get_field(name)
        assert isinstance(field, models.Field) and field.column
        conditions.append(f"{quote(field.column)} = %s")
        params.append(field.get_db_prep_value(value, connection))
    cursor = _cursor(connection)
    cursor.execute(
        f"UPDATE {quote(opts.db_table)} SET {', '.join(assignments)} WHERE {' AND '.join(conditions)}", params
    )
    return bool(cursor.rowcount == 1)
