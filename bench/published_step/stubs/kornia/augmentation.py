# Empty: see __init__.py.
