"""Dashboard pages, one module each with render(context).

Not named pages/: a pages/ folder beside app.py switches Streamlit to its legacy multipage mode,
which routes to the files in it and changes widget identities between runs.
"""
