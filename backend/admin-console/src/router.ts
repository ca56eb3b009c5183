import { createRouter, createWebHistory } from 'vue-router';
import { whenSignedOut } from './api/client';
import { loadSession, session } from './session';
import ConsoleLayout from './layout/ConsoleLayout.vue';
import LoginPage from './pages/LoginPage.vue';

export const router = createRouter({
  history: createWebHistory('/admin/'),
  routes: [
    { path: '/login', component: LoginPage, meta: { title: '扫码登录', public: true } },
    {
      path: '/',
      component: ConsoleLayout,
      children: [
        { path: '', component: () => import('./pages/DashboardPage.vue'), meta: { title: '工作台' } },
        { path: 'applications', component: () => import('./pages/ApplicationsPage.vue'), meta: { title: '入会审核' } },
        { path: 'members', component: () => import('./pages/MembersPage.vue'), meta: { title: '会员' } },
        { path: 'campaigns', component: () => import('./pages/CampaignsPage.vue'), meta: { title: '十大平安创建' } },
      ],
    },
    { path: '/:rest(.*)*', redirect: '/' },
  ],
});

router.beforeEach(async (to) => {
  if (!session.checked) {
    await loadSession();
  }
  if (!to.meta.public && !session.current) {
    return { path: '/login', query: to.fullPath === '/' ? {} : { redirect: to.fullPath } };
  }
  return true;
});

router.afterEach((to) => {
  document.title = `${(to.meta.title as string) ?? '管理后台'} - 平安创建协会管理后台`;
});

whenSignedOut(() => {
  session.current = null;
  if (router.currentRoute.value.path !== '/login') {
    void router.push({ path: '/login', query: { redirect: router.currentRoute.value.fullPath } });
  }
});
