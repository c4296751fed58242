/**
 * The course structure of an export (`course_modules`, `course_lessons`, `course_items`,
 * `course_item_types`) as positions: each item's module, lesson and category, and where
 * it stands, counted from 1 in the order Coursera gives (`course_*_order`). Statements
 * about an item carry these, so indicators per module need no structure of their own.
 */
import type { Rejection } from '../../xapi/run-summary.js';

/** Where an item stands in its course. */
export interface StructureItem {
  itemId: string;
  lessonId: string;
  moduleId: string;
  /** `course_item_type_category` (lecture, quiz, ...), when the item's type is known. */
  category?: string;
  /** Read for completeness; never put in a statement. */
  name?: string;
  /** The module's position in the course, from 1. */
  moduleIndex: number;
  /** The lesson's position in its module, from 1. */
  lessonIndex: number;
  /** The item's position in its lesson, from 1. */
  itemIndex: number;
}

/** The structure of one course: its id where the tables name it, and its items by id. */
export interface CourseraStructure {
  courseId?: string;
  items: ReadonlyMap<string, StructureItem>;
}

/** A structure with no items: statements then carry no positions. */
export const EMPTY_STRUCTURE: CourseraStructure = { items: new Map() };

interface Ordered {
  id: string;
  order: number;
  at: string;
}

/** Collects structure rows in any order, then computes positions. */
export class StructureBuilder {
  private courseId: string | undefined;
  private readonly modules: Ordered[] = [];
  private readonly lessons: (Ordered & { moduleId: string })[] = [];
  private readonly items: (Ordered & { lessonId: string; typeId?: string; name?: string })[] = [];
  private readonly categories = new Map<string, string>();

  /** The course the structure rows name (the first one seen). */
  course(courseId: string | undefined): void {
    this.courseId ??= courseId;
  }

  /** A `course_modules` row. */
  module(m: Ordered): void {
    this.modules.push(m);
  }

  /** A `course_lessons` row. */
  lesson(l: Ordered & { moduleId: string }): void {
    this.lessons.push(l);
  }

  /** A `course_items` row. */
  item(i: Ordered & { lessonId: string; typeId?: string; name?: string }): void {
    this.items.push(i);
  }

  /** A `course_item_types` row: the category of a type id. */
  itemType(typeId: string, category: string): void {
    this.categories.set(typeId, category);
  }

  /** The structure, and the items that could not be placed (their lesson or module is unknown). */
  build(): { structure: CourseraStructure; rejections: { at: string; source: string; rejection: Rejection }[] } {
    const moduleIndex = positions(this.modules, () => '');
    const lessonIndex = positions(this.lessons, (l) => l.moduleId);
    const itemIndex = positions(this.items, (i) => i.lessonId);
    const lessons = new Map(this.lessons.map((l) => [l.id, l]));
    const items = new Map<string, StructureItem>();
    const rejections: { at: string; source: string; rejection: Rejection }[] = [];
    for (const item of this.items) {
      const lesson = lessons.get(item.lessonId);
      const module = lesson === undefined ? undefined : moduleIndex.get(lesson.moduleId);
      if (lesson === undefined || module === undefined) {
        const field = lesson === undefined ? 'course_lesson_id' : 'course_module_id';
        const detail = lesson === undefined ? `names no lesson of course_lessons (${item.lessonId})` : `its lesson ${lesson.id} names no module of course_modules`;
        rejections.push({ at: item.at, source: 'course_items', rejection: { code: 'bad_value', field, detail } });
        continue;
      }
      const category = item.typeId === undefined ? undefined : this.categories.get(item.typeId);
      items.set(item.id, {
        itemId: item.id,
        lessonId: lesson.id,
        moduleId: lesson.moduleId,
        ...(category === undefined ? {} : { category }),
        ...(item.name === undefined ? {} : { name: item.name }),
        moduleIndex: module,
        lessonIndex: lessonIndex.get(lesson.id)!,
        itemIndex: itemIndex.get(item.id)!,
      });
    }
    return { structure: { ...(this.courseId === undefined ? {} : { courseId: this.courseId }), items }, rejections };
  }
}

/** Each thing's position among those of its group, from 1, by order then id (Coursera orders may tie or skip). */
function positions<T extends Ordered>(things: readonly T[], group: (t: T) => string): Map<string, number> {
  const groups = new Map<string, T[]>();
  for (const t of things) {
    const g = groups.get(group(t));
    if (g === undefined) groups.set(group(t), [t]);
    else g.push(t);
  }
  const index = new Map<string, number>();
  for (const members of groups.values()) {
    members.sort((a, b) => a.order - b.order || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    members.forEach((t, i) => index.set(t.id, i + 1));
  }
  return index;
}
