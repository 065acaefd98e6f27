// Spec shapes as three.js meshes, and poses (URDF rpy, recorded quaternions) as three.js transforms. z is up.
import * as THREE from 'three';
import { ConvexGeometry } from 'three/examples/jsm/geometries/ConvexGeometry.js';
import type { Geom, Pose, PoseQ, Shape, Vec3 } from '@itinera/core';

/** three.js cylinders and capsules run along y; spec ones along z. */
const Y_TO_Z = new THREE.Quaternion().setFromAxisAngle(new THREE.Vector3(1, 0, 0), Math.PI / 2);

function geometryOf(shape: Shape): { geometry: THREE.BufferGeometry; alongZ: boolean } {
  switch (shape.type) {
    case 'box':
      return { geometry: new THREE.BoxGeometry(...shape.size), alongZ: false };
    case 'sphere':
      return { geometry: new THREE.SphereGeometry(shape.radius, 24, 16), alongZ: false };
    case 'cylinder':
      return { geometry: new THREE.CylinderGeometry(shape.radius, shape.radius, shape.length, 24), alongZ: true };
    case 'capsule':
      return { geometry: new THREE.CapsuleGeometry(shape.radius, shape.length, 6, 16), alongZ: true };
    case 'convex':
      return { geometry: new ConvexGeometry(shape.points.map((p) => new THREE.Vector3(...p))), alongZ: false };
  }
}

/** URDF rpy is fixed-axis X, Y, Z: R = Rz·Ry·Rx, which is three.js's Euler order 'ZYX'. */
export function applyPose(object: THREE.Object3D, pose: Pose): void {
  object.position.set(...pose.xyz);
  object.quaternion.setFromEuler(new THREE.Euler(pose.rpy[0], pose.rpy[1], pose.rpy[2], 'ZYX'));
}

export function applyPoseQ(object: THREE.Object3D, [x, y, z, qx, qy, qz, qw]: PoseQ): void {
  object.position.set(x, y, z);
  object.quaternion.set(qx, qy, qz, qw);
}

/** A group holding one mesh per geom, each placed at its origin in the group's frame. */
export function geomsGroup(geoms: Geom[], material: THREE.Material): THREE.Group {
  const group = new THREE.Group();
  for (const geom of geoms) {
    const { geometry, alongZ } = geometryOf(geom.shape);
    const mesh = new THREE.Mesh(geometry, material);
    const holder = new THREE.Group();
    applyPose(holder, geom.origin);
    if (alongZ) mesh.quaternion.copy(Y_TO_Z);
    holder.add(mesh);
    group.add(holder);
  }
  return group;
}

/** A point given in a recorded pose's frame, in world coordinates. */
export function pointInPose([x, y, z, qx, qy, qz, qw]: PoseQ, local: Vec3 = [0, 0, 0]): THREE.Vector3 {
  return new THREE.Vector3(...local).applyQuaternion(new THREE.Quaternion(qx, qy, qz, qw)).add(new THREE.Vector3(x, y, z));
}

/** A text label that always faces the camera, `height` world units tall. */
export function label(text: string, height: number, color = '#1d2330'): THREE.Sprite {
  const canvas = document.createElement('canvas');
  const context = canvas.getContext('2d')!;
  const font = 'bold 40px system-ui, sans-serif';
  context.font = font;
  canvas.width = Math.ceil(context.measureText(text).width) + 16;
  canvas.height = 56;
  context.font = font;
  context.fillStyle = 'rgba(255,255,255,0.75)';
  context.fillRect(0, 0, canvas.width, canvas.height);
  context.fillStyle = color;
  context.textBaseline = 'middle';
  context.fillText(text, 8, canvas.height / 2);
  const sprite = new THREE.Sprite(new THREE.SpriteMaterial({ map: new THREE.CanvasTexture(canvas), depthTest: false }));
  sprite.scale.set((height * canvas.width) / canvas.height, height, 1);
  sprite.renderOrder = 10;
  return sprite;
}
