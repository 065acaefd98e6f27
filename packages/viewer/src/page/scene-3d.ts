// The 3D view: scene bodies, regions, markers, the robot's links at a moment, the end effector's trail so far
// and the latest plan's predicted path as a translucent ghost.
import * as THREE from 'three';
import { OrbitControls } from 'three/examples/jsm/controls/OrbitControls.js';
import { Line2 } from 'three/examples/jsm/lines/Line2.js';
import { LineGeometry } from 'three/examples/jsm/lines/LineGeometry.js';
import { LineMaterial } from 'three/examples/jsm/lines/LineMaterial.js';
import type { Frame, RobotSpec, Vec3 } from '@itinera/core';
import type { ReplayEpisode, ReplayPlan } from '../replay-data.js';
import { applyPose, applyPoseQ, geomsGroup, label, pointInPose } from './geoms.js';

const LINK_COLOURS = [0xe39b32, 0x3f6fc4, 0xd9623b, 0x4aa37a, 0x9b59b6, 0x2c9fb8];
export const TRAIL_COLOUR = '#1d3f8f';
export const GHOST_COLOUR = '#00b4d8';
export const MARKER_COLOUR = '#d62828';

export class ReplayScene {
  private readonly renderer: THREE.WebGLRenderer;
  private readonly scene = new THREE.Scene();
  private readonly camera = new THREE.PerspectiveCamera(45, 1, 0.01, 1000);
  private readonly controls: OrbitControls;
  private readonly links = new Map<string, THREE.Group>();
  private readonly bodies = new Map<string, THREE.Group>();
  private readonly markers = new Map<string, THREE.Object3D>();
  private readonly trail: Line2;
  private ghost: { plan: ReplayPlan; object: THREE.Object3D } | undefined;
  /** The tracked point (end effector, else base) at every moment. */
  private readonly tracked: THREE.Vector3[];
  private readonly size: number;
  private readonly resizeObserver = new ResizeObserver(() => this.resize());

  constructor(
    private readonly canvas: HTMLCanvasElement,
    private readonly episode: ReplayEpisode & { scene: NonNullable<ReplayEpisode['scene']> },
  ) {
    // preserveDrawingBuffer lets screenshots and tests read the canvas back.
    this.renderer = new THREE.WebGLRenderer({ canvas, antialias: true, preserveDrawingBuffer: true });
    this.renderer.setPixelRatio(Math.min(2, window.devicePixelRatio || 1));
    this.scene.background = new THREE.Color(0xdfe4ea);
    const { robot, scene } = episode.scene;
    this.tracked = episode.frames.map((frame) => trackedPoint(robot, frame));
    const bounds = this.bounds();
    this.size = Math.max(0.5, bounds.getSize(new THREE.Vector3()).length());
    this.addLightsAndGround(scene.ground, bounds);
    this.addScene();
    this.addRobot();
    this.trail = this.addTrail();
    this.controls = new OrbitControls(this.camera, canvas);
    this.aimCamera(bounds);
    this.controls.addEventListener('change', () => this.render());
    this.resizeObserver.observe(canvas.parentElement!);
    this.resize();
  }

  dispose(): void {
    this.resizeObserver.disconnect();
    this.controls.dispose();
    this.renderer.dispose();
  }

  /** Poses everything as it was at moment `index` and draws. */
  show(index: number): void {
    const frame = this.episode.frames[index];
    for (const [name, pose] of Object.entries(frame.links)) if (this.links.has(name)) applyPoseQ(this.links.get(name)!, pose);
    for (const [name, pose] of Object.entries(frame.bodies)) if (this.bodies.has(name)) applyPoseQ(this.bodies.get(name)!, pose);
    for (const marker of frame.markers) this.marker(marker.name).position.set(...marker.position);
    // One line segment per step taken so far.
    this.trail.geometry.instanceCount = index;
    this.showGhost(index);
    this.render();
  }

  render(): void {
    this.renderer.render(this.scene, this.camera);
  }

  private resize(): void {
    const { clientWidth: w, clientHeight: h } = this.canvas.parentElement!;
    if (w === 0 || h === 0) return;
    this.renderer.setSize(w, h, false);
    this.camera.aspect = w / h;
    this.camera.updateProjectionMatrix();
    this.render();
  }

  /** Everything the episode visits: robot links at every moment, markers, regions and bodies. */
  private bounds(): THREE.Box3 {
    const box = new THREE.Box3();
    for (const frame of this.episode.frames) {
      for (const pose of Object.values(frame.links)) box.expandByPoint(new THREE.Vector3(pose[0], pose[1], pose[2]));
      for (const m of frame.markers) box.expandByPoint(new THREE.Vector3(...m.position));
    }
    for (const p of this.tracked) box.expandByPoint(p);
    const { scene } = this.episode.scene;
    for (const region of scene.regions) box.expandByPoint(new THREE.Vector3(...region.min)).expandByPoint(new THREE.Vector3(...region.max));
    for (const body of scene.bodies) box.expandByPoint(new THREE.Vector3(...body.pose.xyz));
    for (const m of scene.markers ?? []) box.expandByPoint(new THREE.Vector3(...m.position));
    return box.isEmpty() ? new THREE.Box3(new THREE.Vector3(-1, -1, 0), new THREE.Vector3(1, 1, 1)) : box;
  }

  private addLightsAndGround(ground: boolean, bounds: THREE.Box3): void {
    this.scene.add(new THREE.HemisphereLight(0xffffff, 0x8899aa, 1.6));
    const sun = new THREE.DirectionalLight(0xffffff, 1.8);
    sun.position.set(1, -2, 3);
    this.scene.add(sun);
    if (!ground) return;
    const centre = bounds.getCenter(new THREE.Vector3());
    const span = Math.max(2, Math.ceil(this.size * 3));
    const floor = new THREE.Mesh(new THREE.PlaneGeometry(span, span), new THREE.MeshStandardMaterial({ color: 0xf2f2ee, roughness: 1 }));
    floor.position.set(centre.x, centre.y, -0.001);
    const grid = new THREE.GridHelper(span, span * 4, 0xb0b6c0, 0xd4d8de);
    grid.rotation.x = Math.PI / 2;
    grid.position.set(Math.round(centre.x), Math.round(centre.y), 0);
    this.scene.add(floor, grid);
  }

  private addScene(): void {
    const { scene } = this.episode.scene;
    for (const body of scene.bodies) {
      const material = new THREE.MeshStandardMaterial({ color: body.kinematic ? 0x8e7cc3 : body.mass ? 0xc9a66b : 0x9aa3ad, roughness: 0.8 });
      const group = geomsGroup(body.geoms, material);
      applyPose(group, body.pose);
      this.bodies.set(body.name, group);
      this.scene.add(group);
    }
    for (const region of scene.regions) {
      const size = region.max.map((v, i) => v - region.min[i]) as Vec3;
      const colour = region.keepOut ? 0xd62828 : 0x2e8b57;
      const box = new THREE.Mesh(new THREE.BoxGeometry(...size), new THREE.MeshBasicMaterial({ color: colour, transparent: true, opacity: 0.15, depthWrite: false }));
      box.add(new THREE.LineSegments(new THREE.EdgesGeometry(box.geometry), new THREE.LineBasicMaterial({ color: colour })));
      box.position.set(...(region.min.map((v, i) => v + size[i] / 2) as Vec3));
      const text = label(region.name, this.size * 0.04);
      text.position.set(0, 0, size[2] / 2 + this.size * 0.03);
      box.add(text);
      this.scene.add(box);
    }
    for (const m of scene.markers ?? []) this.marker(m.name).position.set(...m.position);
  }

  /** A marker (target) by name, made the first time it is seen. */
  private marker(name: string): THREE.Object3D {
    let marker = this.markers.get(name);
    if (marker) return marker;
    marker = new THREE.Group();
    const r = this.size * 0.022;
    marker.add(new THREE.Mesh(new THREE.SphereGeometry(r, 20, 14), new THREE.MeshStandardMaterial({ color: MARKER_COLOUR, emissive: 0x551010 })));
    const ring = new THREE.Mesh(new THREE.TorusGeometry(r * 2, r * 0.25, 8, 32), new THREE.MeshBasicMaterial({ color: MARKER_COLOUR }));
    marker.add(ring);
    const text = label(name, this.size * 0.035, MARKER_COLOUR);
    text.position.set(0, 0, r * 3.5);
    marker.add(text);
    this.markers.set(name, marker);
    this.scene.add(marker);
    return marker;
  }

  private addRobot(): void {
    const { robot } = this.episode.scene;
    robot.links.forEach((link, i) => {
      const colour = link.name === robot.base.link ? 0x59606b : LINK_COLOURS[i % LINK_COLOURS.length];
      const group = geomsGroup(link.collisions, new THREE.MeshStandardMaterial({ color: colour, roughness: 0.55, metalness: 0.1 }));
      this.links.set(link.name, group);
      this.scene.add(group);
    });
  }

  /** The path the end effector (else the base) has taken, 3 px wide. */
  private addTrail(): Line2 {
    const geometry = new LineGeometry().setPositions(this.tracked.flatMap((p) => [p.x, p.y, p.z]));
    const trail = new Line2(geometry, new LineMaterial({ color: TRAIL_COLOUR, linewidth: 3 }));
    trail.renderOrder = 5;
    this.scene.add(trail);
    return trail;
  }

  /** The plan in force at moment `index` (the latest made at or before it), drawn from where it was made. */
  private showGhost(index: number): void {
    const step = this.episode.steps[index];
    const plan = this.episode.plans.findLast((p) => p.step <= step && p.predicted && p.predicted.length > 0);
    if (this.ghost?.plan === plan) return;
    if (this.ghost) this.scene.remove(this.ghost.object);
    this.ghost = undefined;
    if (!plan) return;
    const from = this.episode.steps.indexOf(plan.step);
    const points = [...(from >= 0 ? [this.tracked[from]] : []), ...plan.predicted!.map((p) => new THREE.Vector3(...p))];
    const object = new THREE.Group();
    const material = new THREE.MeshBasicMaterial({ color: GHOST_COLOUR, transparent: true, opacity: 0.55, depthWrite: false });
    if (points.length >= 2) object.add(new THREE.Mesh(new THREE.TubeGeometry(new THREE.CatmullRomCurve3(points), points.length * 4, this.size * 0.006, 8), material));
    const end = new THREE.Mesh(new THREE.SphereGeometry(this.size * 0.014, 16, 12), material);
    end.position.copy(points.at(-1)!);
    object.add(end);
    this.ghost = { plan, object };
    this.scene.add(object);
  }

  private aimCamera(bounds: THREE.Box3): void {
    const centre = bounds.getCenter(new THREE.Vector3());
    this.camera.up.set(0, 0, 1);
    this.camera.position.copy(centre).add(new THREE.Vector3(0.55, -0.9, 1.0).multiplyScalar(this.size * 0.85));
    this.camera.near = this.size / 200;
    this.camera.far = this.size * 200;
    this.controls.target.copy(centre);
    this.controls.update();
  }
}

/** The end effector's world position at a frame, or the base link's when the robot names none. */
function trackedPoint(robot: RobotSpec, frame: Frame): THREE.Vector3 {
  const ee = robot.endEffector;
  const link = ee?.link ?? robot.base.link;
  const pose = frame.links[link];
  return pose ? pointInPose(pose, ee?.point) : new THREE.Vector3();
}
