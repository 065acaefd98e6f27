// The rover's wheeled base as the levels above control read it: its planar pose from the standard `base.*`
// channels, how to hold it still, and whether it rests where a waiting skill wants it.
import { yawOf, type MobileBody, type Situation, type Subgoal } from '@itinera/core';

/** Channels a wheeled base's pose is read from. */
export const BASE_POSE_CHANNELS = ['base.x', 'base.y', 'base.qw'] as const;

/** Planar pose of a wheeled base read from the standard `base.*` channels. */
export function basePose(s: Situation): { x: number; y: number; yaw: number } {
  return { x: s.get('base.x'), y: s.get('base.y'), yaw: yawOf([s.get('base.qx'), s.get('base.qy'), s.get('base.qz'), s.get('base.qw')]) };
}

/** A wheeled base for multi-level planners. */
export const wheeledBase: MobileBody = {
  channels: BASE_POSE_CHANNELS,
  pose: basePose,
  hold(s) {
    const p = basePose(s);
    return { target: [p.x, p.y], speed: 0 };
  },
  /** At the target (within 0.2 m), nearly still, facing the subgoal's `face` point if it names one. */
  settled(s: Situation, subgoal: Subgoal) {
    if (!subgoal.target || !s.has('base.vx')) return false;
    const p = basePose(s);
    if (Math.hypot(subgoal.target[0] - p.x, subgoal.target[1] - p.y) > 0.2 || Math.hypot(s.get('base.vx'), s.get('base.vy')) > 0.1) return false;
    const face = subgoal.face as readonly number[] | undefined;
    if (!face) return true;
    const error = Math.atan2(face[1] - p.y, face[0] - p.x) - p.yaw;
    return Math.abs(Math.atan2(Math.sin(error), Math.cos(error))) < 0.35;
  },
};
