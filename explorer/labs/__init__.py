"""Lab computations behind the lesson pages: pure numpy functions, no Streamlit."""
