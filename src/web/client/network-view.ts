// The network view (/admin/associations/network): zoom and pan of the server-drawn SVG through
// its viewBox, with the buttons, the mouse wheel, dragging, and the keyboard on the focused
// drawing (+ and − zoom, arrows move, 0 shows the whole). Without this script, the whole drawing.

interface View {
  x: number;
  y: number;
  w: number;
  h: number;
}

function start(frame: HTMLElement, svg: SVGSVGElement, box: number[]): void {
  const [x0, y0, w0, h0] = box as [number, number, number, number];
  let v: View = { x: x0, y: y0, w: w0, h: h0 };
  const show = () => svg.setAttribute('viewBox', `${v.x} ${v.y} ${v.w} ${v.h}`);
  // factor > 1 zooms in around (cx, cy), a point of the drawing; from the whole to 8 times
  const zoom = (factor: number, cx = v.x + v.w / 2, cy = v.y + v.h / 2) => {
    const w = Math.min(w0, Math.max(w0 / 8, v.w / factor));
    const k = w / v.w;
    v = { x: cx - (cx - v.x) * k, y: cy - (cy - v.y) * k, w, h: v.h * k };
    show();
  };
  const reset = () => {
    v = { x: x0, y: y0, w: w0, h: h0 };
    show();
  };
  // screen pixels to drawing units
  const scale = () => v.w / svg.getBoundingClientRect().width;
  const at = (e: MouseEvent): [number, number] => {
    const r = svg.getBoundingClientRect();
    return [v.x + (e.clientX - r.left) * scale(), v.y + (e.clientY - r.top) * scale()];
  };

  const controls = document.querySelector<HTMLElement>('.network-controls');
  if (controls) {
    controls.hidden = false;
    controls.addEventListener('click', (e) => {
      const how = (e.target as Element).closest('button')?.dataset.zoom;
      if (how === 'in') zoom(1.5);
      else if (how === 'out') zoom(1 / 1.5);
      else if (how === 'reset') reset();
    });
  }
  frame.tabIndex = 0;
  frame.addEventListener('keydown', (e) => {
    const step = v.w / 10;
    const moves: Record<string, [number, number]> = {
      ArrowLeft: [-step, 0],
      ArrowRight: [step, 0],
      ArrowUp: [0, -step],
      ArrowDown: [0, step],
    };
    const move = moves[e.key];
    if (e.key === '+' || e.key === '=') zoom(1.5);
    else if (e.key === '-' || e.key === '_') zoom(1 / 1.5);
    else if (e.key === '0') reset();
    else if (move) {
      v.x += move[0];
      v.y += move[1];
      show();
    } else return;
    e.preventDefault();
  });
  frame.addEventListener(
    'wheel',
    (e) => {
      e.preventDefault();
      zoom(e.deltaY < 0 ? 1.2 : 1 / 1.2, ...at(e));
    },
    { passive: false },
  );
  let drag: { x: number; y: number } | null = null;
  frame.addEventListener('pointerdown', (e) => {
    drag = { x: e.clientX, y: e.clientY };
    frame.setPointerCapture(e.pointerId);
    frame.classList.add('dragging');
  });
  frame.addEventListener('pointermove', (e) => {
    if (!drag) return;
    const k = scale();
    v.x -= (e.clientX - drag.x) * k;
    v.y -= (e.clientY - drag.y) * k;
    drag = { x: e.clientX, y: e.clientY };
    show();
  });
  const stop = () => {
    drag = null;
    frame.classList.remove('dragging');
  };
  frame.addEventListener('pointerup', stop);
  frame.addEventListener('pointercancel', stop);
}

const frame = document.getElementById('network');
const svg = frame?.querySelector('svg');
const box = svg
  ?.getAttribute('viewBox')
  ?.split(/[\s,]+/)
  .map(Number);
if (frame && svg && box && box.length === 4 && !box.some(Number.isNaN)) start(frame, svg, box);
