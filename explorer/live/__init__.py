"""The live lab bench, pure side: payloads for the browser player (frames.py), background
trainings (jobs.py) and the player's JavaScript (assets.py, js/); its Streamlit side is
explorer/app/player.py."""
