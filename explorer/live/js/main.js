// main.js: the component's entry (last in explorer.live.assets.MODULES; needs keepOpaque,
// KEYS, Player, Group). Streamlit calls the default export again with new data (same
// parentElement) on every rerun; the player keeps its canvases and its position (per run,
// RUNS) and only swaps the data. A payload with `group` gets Compare's Group, else a Player.
export default function (component) {
  const { data, parentElement } = component;
  keepOpaque();
  let root = parentElement.querySelector(".player-root");
  if (!root) {
    root = document.createElement("div");
    root.className = "player-root";
    parentElement.appendChild(root);
  }
  if (!root.__player) {
    root.__player = data && data.group ? new Group(root, component) : new Player(root, component);
  }
  const p = root.__player;
  p.api = component; // the newest setStateValue / setTriggerValue
  if (data) p.setData(data);
  // a player that had the keyboard focus and was drawn anew (a page rerun) takes it back
  const active = document.activeElement;
  if (KEYS.focused && (!active || active === document.body)) root.focus({ preventScroll: true });
  // Streamlit may call an older call's cleanup while a newer call uses the same player (a
  // quick data update): only a player whose element has left the page is destroyed
  return () => {
    setTimeout(() => {
      if (!root.isConnected && root.__player === p) {
        p.destroy();
        root.__player = null;
      }
    }, 0);
  };
}
