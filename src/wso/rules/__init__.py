"""The program's rules as pure functions: plain facts in, a `Decision` with cited reasons out.

Nothing here reads a clock, a file or a database (parameters come from wso.params, loaded
once); `at` is always an argument. Each function's docstring quotes the clause it applies.
"""
