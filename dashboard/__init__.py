"""The Streamlit app's layer: caching, sign-in, navigation, writes and each page's sections."""
